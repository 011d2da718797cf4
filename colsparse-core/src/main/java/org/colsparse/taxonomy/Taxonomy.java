package org.colsparse.taxonomy;

import org.colsparse.sparsity.SiteStats;

import java.util.List;
import java.util.Locale;

/** Classifies sites and workload totals by the rule documented in {@link TaxonomyRule}. */
public final class Taxonomy {
    private Taxonomy() {
    }

    public static TaxonomyVerdict classify(SiteStats s) {
        return classify(s, TaxonomyRule.DEFAULT);
    }

    public static List<TaxonomyVerdict> classifyAll(List<SiteStats> stats, TaxonomyRule rule) {
        return stats.stream().map(s -> classify(s, rule)).toList();
    }

    public static TaxonomyVerdict classify(SiteStats s, TaxonomyRule rule) {
        double rowsPerCall = s.calls() == 0 ? 0.0 : (double) s.rows() / s.calls();
        double effective = Math.min(s.tileRows(), rowsPerCall);
        double excessPp = s.excessOverBaseline() * 100.0;
        SparsityClass verdict;
        String evidence;
        if (rowsPerCall <= rule.maxTokenRows()) {
            verdict = SparsityClass.TOKEN_LIMITED;
            evidence = String.format(Locale.ROOT,
                    "token-limited: %s rows per call <= %s, so tiles of R=%d hold %s rows; column sparsity %.2f"
                            + " tracks element sparsity %.2f (independence baseline %.2f)",
                    num(rowsPerCall), num(rule.maxTokenRows()), s.tileRows(), num(effective),
                    s.columnSparsity(), s.elementSparsity(), s.independenceBaseline());
        } else if (excessPp >= rule.minExcessPp()) {
            verdict = SparsityClass.CONCENTRATION;
            evidence = String.format(Locale.ROOT,
                    "concentration: column sparsity %.2f vs independence baseline %.2f (excess %s pp >= %s pp)",
                    s.columnSparsity(), s.independenceBaseline(), num(excessPp), num(rule.minExcessPp()));
        } else {
            verdict = SparsityClass.DISPERSION;
            evidence = String.format(Locale.ROOT,
                    "dispersion: column sparsity %.2f vs independence baseline %.2f (excess %s pp < %s pp)"
                            + " at element sparsity %.2f",
                    s.columnSparsity(), s.independenceBaseline(), num(excessPp), num(rule.minExcessPp()),
                    s.elementSparsity());
        }
        return new TaxonomyVerdict(s.site(), s.threshold(), s.tileRows(), verdict, s.elementSparsity(),
                s.columnSparsity(), s.independenceBaseline(), excessPp, rowsPerCall, effective, rule, evidence);
    }

    /** One decimal, without a trailing ".0" for whole numbers: "39.4", "5", "6". */
    private static String num(double v) {
        String x = String.format(Locale.ROOT, "%.1f", Math.abs(v) < 0.05 ? 0.0 : v);
        return x.endsWith(".0") ? x.substring(0, x.length() - 2) : x;
    }
}
