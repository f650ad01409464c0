"""Placeholder page: its lab is being built."""

import streamlit as st

st.title("backprop")
st.info("This lab is coming soon.")
