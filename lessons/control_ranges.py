"""The ranges and notches of the labs' own widgets, beyond ControlSpec's shared ones.

One definition, read by the widgets (ui/controls.py, ui/xor, ui/boston,
ui/mnist, ui/rnn) and by the checks that put a link's, a model file's or the
coach's settings onto them (ui/experiment_settings.py), so the two cannot
drift apart. Pure Python: nothing here imports streamlit.
"""

from __future__ import annotations

# The shared network and training widgets (ui/controls.py).
DROPOUT = (0.0, 0.8, 0.05)  # min, max, step
SEED = (0, 10_000)

# XOR's noisy cloud (ui/xor/views.py): points per corner and their noise.
XOR_CORNER = (5, 100)
XOR_NOISE = (0.0, 0.5, 0.01)  # min, max, step

# Boston's early stopping (ui/boston/views.py): patience in epochs, 0 for off.
PATIENCES = (0, 10, 20, 30, 50, 100)

# MNIST's CNN (ui/mnist/controls.py).
MNIST_CONV_BLOCKS = (1, 3)
MNIST_CHANNELS = (4, 8, 16, 32)  # the first block's; each next block doubles them
MNIST_KERNELS = (3, 5)
MNIST_DENSE = (0, 32, 64, 128, 256)  # 0: no dense layer before the output
MNIST_CNN_ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "elu")

# The recurrent lab (ui/rnn/controls.py).
RNN_SEQ_LEN = (2, 200)
RNN_COUNTS = (200, 400, 800, 1600, 3200, 6400)
RNN_NOISE = (0.0, 0.5, 0.05)  # min, max, step
RNN_FORGET_BIASES = (0.0, 0.5, 1.0, 2.0, 3.0, 5.0)
RNN_CLIP_NORMS = (0.1, 0.5, 1.0, 5.0)
