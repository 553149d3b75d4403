// Public API of @hyperstack/hyperswarm-dht. Nothing has landed here yet, so it exports nothing.
export {}
