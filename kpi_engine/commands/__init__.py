"""The commands: ``kpi-dashboard``'s command line and the work behind each command (fill, batch,
pack). The top layer: it may import everything below it, and nothing imports it."""
