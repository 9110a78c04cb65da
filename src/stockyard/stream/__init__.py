"""Real time: websocket and polling consumers → bus (memory | Redis Streams) → processor → sinks."""
