// Public API of @hyperstack/hypercore-protocol. Nothing has landed here yet, so it exports nothing.
export {}
