// Public API of @hyperstack/hyperdrive-daemon. Nothing has landed here yet, so it exports nothing.
export {}
