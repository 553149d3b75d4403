// Public API of @hyperstack/hypertrie. Nothing has landed here yet, so it exports nothing.
export {}
