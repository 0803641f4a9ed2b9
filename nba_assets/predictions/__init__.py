"""Predictions and recommendations: OVER / UNDER / PASS / NO_LINE per player, game and system."""
