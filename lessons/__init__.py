"""Pure-Python math behind the concept labs (no streamlit), one small file per lesson."""
