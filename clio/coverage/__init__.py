"""Coverage stage: where benchmark items land among released usage clusters."""
