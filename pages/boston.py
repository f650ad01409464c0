"""Placeholder page: its lab is being built."""

import streamlit as st

st.title("boston")
st.info("This lab is coming soon.")
