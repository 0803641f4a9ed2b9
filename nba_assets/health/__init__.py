"""The daily health report: how yesterday went, graded GOLD / SILVER / BRONZE."""
