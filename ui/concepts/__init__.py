"""Streamlit code for the concept labs.

`*_figures.py` modules are pure Plotly builders (data in, go.Figure out, no
streamlit import) so they are unit-tested without a server; `*_controls.py`
modules hold the `*_ui()` functions that draw widgets and return plain values.
Pages in pages/ only wire the two to the math in lessons/.
"""
