// Public API of @hyperstack/hyperdrive. Nothing has landed here yet, so it exports nothing.
export {}
