// Public API of @hyperstack/hyperswarm. Nothing has landed here yet, so it exports nothing.
export {}
