"""Placeholder page: its lab is being built."""

import streamlit as st

st.title("universal_approximation")
st.info("This lab is coming soon.")
