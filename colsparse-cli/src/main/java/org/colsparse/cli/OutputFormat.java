package org.colsparse.cli;

/** How a subcommand prints its results (README: every subcommand that prints results takes --format). */
public enum OutputFormat { table, json, csv }
