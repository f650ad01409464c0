"""Convolution and max pooling lab: the slides' worked example, step by step, then MNIST."""

from lessons.registry import lab
from ui.concepts.convolution.views import inputs, mnist_section, worked_example
from ui.language import markdown
from ui.page_header import page_header

LAB = lab("convolution")

page_header(LAB)
markdown("convolution.intro")

chosen = inputs()
if chosen is not None:
    worked_example(*chosen)
mnist_section()
