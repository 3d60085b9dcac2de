"""The privacy tier: scrubbing (the only reader of raw text), keyed ids, the release gate and audit."""
