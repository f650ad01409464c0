"""All shared Streamlit code: controls, the live training view and figure builders."""

from ui.router_guard import ensure_router

# Every page imports ui, so this runs before any page draws (see router_guard).
ensure_router()
