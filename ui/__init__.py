"""All shared Streamlit code: controls, the live training view and figure builders."""
