package org.colsparse.report;

import java.util.List;

/** A results.json written by another tool may lack a list: the report reads it as empty. */
final class Lists {
    private Lists() {
    }

    static <T> List<T> of(List<T> list) {
        return list == null ? List.of() : list;
    }
}
