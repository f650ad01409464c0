"""Streamlit code for the concept labs, one subpackage per lab.

In each subpackage `figures.py` holds pure Plotly builders (data in,
go.Figure out, no streamlit import) so they are unit-tested without a server,
and `controls.py` holds the `*_ui()` functions that draw widgets and return
plain values. `layout.py` is the figure style every concept lab shares.
"""
