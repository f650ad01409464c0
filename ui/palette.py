"""Colour-blind-safe colours shared by every chart (Okabe & Ito, 2008)."""

OKABE_ITO = [
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
]
BLUE, ORANGE, GREEN, PURPLE, SKY, VERMILLION, YELLOW, BLACK = OKABE_ITO
TRAIN_COLOR = BLUE
VALID_COLOR = ORANGE
# Diverging scale for probabilities and signed values: blue <-> orange through
# white, readable with every common colour-vision deficiency.
DIVERGING = [[0.0, BLUE], [0.5, "#F7F7F7"], [1.0, ORANGE]]
SEQUENTIAL = "Viridis"
