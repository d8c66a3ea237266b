// EC57 beat-by-beat and AF episode/duration statistics.
