"""The `stockyard` command: thin commands over the layers below."""
