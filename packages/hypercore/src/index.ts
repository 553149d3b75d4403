// Public API of @hyperstack/hypercore. Nothing has landed here yet, so it exports nothing.
export {}
