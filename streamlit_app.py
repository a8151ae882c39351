"""Stuurhut entry point (placeholder until the dashboard pages land)."""

import streamlit as st

st.set_page_config(page_title="Stuurhut", layout="wide")
st.title("Stuurhut")
st.write("Het dashboard wordt opgebouwd.")
