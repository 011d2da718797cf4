package org.colsparse.pipeline;

import org.colsparse.util.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Shard {@code index} of {@code count} ({@code --shard I/N}, {@code 0 <= I < N}, as Slurm numbers
 * array tasks {@code 0 .. N-1}): the samples {@code i} with {@code i mod N == I}. Samples are
 * independent (sample {@code i} runs alone from seed {@code seed + i}), so the shards together run
 * every sample exactly once, and sample 0, whose calls are recorded as masks, is always in shard 0.
 */
public record Shard(int index, int count) {
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": need 0 <= I < N");
        }
    }

    /** Parses {@code I/N}; bad text is an {@link InputException} naming {@code option}. */
    public static Shard parse(String text, String option) {
        String[] p = text.trim().split("/", -1);
        try {
            if (p.length == 2) {
                return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
            }
        } catch (IllegalArgumentException e) {
            // reported below with the expected form
        }
        throw new InputException(option + ": expected I/N with 0 <= I < N (shard I of N, numbered from 0), got '" + text + "'");
    }

    /** This shard's samples of a run of {@code samples}, ascending. */
    public List<Integer> samples(int samples) {
        List<Integer> mine = new ArrayList<>();
        for (int i = index; i < samples; i += count) {
            mine.add(i);
        }
        return mine;
    }

    /** The name of the shard's state file: {@code shard-I-of-N.npz}. */
    public String fileName() {
        return "shard-" + index + "-of-" + count + ".npz";
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
