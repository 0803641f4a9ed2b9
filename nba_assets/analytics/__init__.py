"""The analytics layer: plain functions of DataFrames, and the assets built on them."""
