"""The market layer: every book's offers, what they are worth once the margin is out, and the consensus of the books."""
