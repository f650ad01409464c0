"""The coach on the page: models.diagnose's findings for the lab's run, worded, each with one button.

memo.py holds the per-lab state (no streamlit: ui.state imports it), words.py
words a finding in either language (pure), panel.py draws the findings inside
the live fragment and starts the comparison run a button asks for.
"""
