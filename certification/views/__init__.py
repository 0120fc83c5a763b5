"""Certification's pages (thin: access, one service or selector, a template): catalogue, levels, eligibility."""
