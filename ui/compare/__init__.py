"""Compare runs: every training lab keeps its runs, pins a baseline and overlays runs on its charts.

book.py holds the per-lab state (no streamlit), runs.py records and pins
(`pin_current`, `start_comparison`: the entry points for other code),
overlay.py picks the curves for the live charts, table.py and panel.py draw
the section. Kept light: ui.state imports the book from here.
"""
