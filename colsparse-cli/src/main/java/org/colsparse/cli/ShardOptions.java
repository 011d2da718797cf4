package org.colsparse.cli;

import org.colsparse.pipeline.Fingerprint;
import org.colsparse.pipeline.SampleSource;
import org.colsparse.pipeline.Shard;
import org.colsparse.pipeline.ShardState;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --shard I/N} of profile, accuracy and run, and the other way those commands can get their
 * samples: from {@code colsparse merge}, which hands them the shards' merged state instead of
 * sampling, so that a merged run goes through exactly the code of an unsharded one.
 */
public final class ShardOptions {
    /** Options a shard's state file does not keep: the merge gives its own. */
    static final Set<String> NOT_KEPT = Set.of("--shard", "--out", "--format");

    /**
     * Per command, the options its options fingerprint covers: the only ones a merge replays from
     * a shard's {@code args}, so a header's args cannot smuggle in what the fingerprint check does
     * not see (--resume, --help); the replayed command then checks its fingerprint against the
     * shards' ({@link #checkMerged}).
     */
    static final Map<String, Set<String>> FINGERPRINTED = Map.of(
            "run", Set.of("--workload", "--config", "--array", "--layout", "--threshold", "--primary", "--tile-rows", "--samples",
                    "--steps", "--seed", "--buckets", "--mask-calls", "--sim-calls", "--checkpoint", "--preset", "--cond",
                    "--max-token-rows", "--min-excess-pp", "--min-element-sparsity", "--model", "--model-card", "--init-noise"),
            "profile", Set.of("--workload", "--checkpoint", "--preset", "--cond", "--samples", "--steps", "--threshold", "--sweep",
                    "--tile-rows", "--max-token-rows", "--min-excess-pp", "--min-element-sparsity", "--buckets", "--seed", "--mask-calls", "--mask-threshold",
                    "--model", "--model-card", "--init-noise"),
            "accuracy", Set.of("--workload", "--checkpoint", "--preset", "--cond", "--threshold", "--samples", "--steps", "--seed",
                    "--tile-rows", "--model", "--model-card", "--init-noise"));

    @Option(names = "--shard", paramLabel = "I/N",
            description = "run only shard I of N (0 <= I < N): the samples i with i mod N = I, and write their raw state "
                    + "to <out>/shard-I-of-N.npz instead of results; 'colsparse merge' combines the N files into exactly "
                    + "the unsharded results (docs/sharding.md)")
    String text;

    /** The merged shards, set by {@link MergeCommand}; null for a command run from the command line. */
    ShardState merged;

    private SampleSource source;

    /** The shard this execution is, or null. */
    Shard shard() {
        return text == null ? null : Shard.parse(text, "--shard");
    }

    /** Where this execution's stages get their samples: whole, this shard's, or the merged shards'. */
    SampleSource source() {
        if (source == null) {
            source = new SampleSource(shard(), merged);
        }
        return source;
    }

    /**
     * In a shard, writes what it sampled to {@code dir/shard-I-of-N.npz} and returns true: the
     * results come from {@code colsparse merge}. Returns false otherwise.
     */
    boolean writeShard(CommandLine.Model.CommandSpec spec, Path dir, Fingerprint fingerprint) {
        Shard s = shard();
        if (s == null) {
            return false;
        }
        ShardState state = source().pending().withHeader(new ShardState.Header(MergeCommand.version(), spec.name(), s, fingerprint.text(),
                keptArgs(spec)));
        Path file = dir.resolve(s.fileName());
        state.write(file);
        PrintWriter err = spec.commandLine().getErr();
        err.println("colsparse: shard " + s + " written to " + file + "; merge all " + s.count() + " with 'colsparse merge "
                + dir.resolve("shard-*-of-" + s.count() + ".npz") + " --out DIR'");
        err.flush();
        return true;
    }

    /**
     * A shard writes its state file into --out: without one, or with one that holds anything but
     * shard state files, it is refused (one line, exit 2).
     */
    void requireOut(Path out) {
        if (shard() != null && out == null) {
            throw new InputException("--shard: needs --out, the folder for the shard's state file");
        }
        if (shard() != null) {
            org.colsparse.report.AtomicOutput.checkShardFolder(out);
        }
    }

    /** In a merge, refuses a command whose options are not those the shards' fingerprint names. */
    void checkMerged(Fingerprint fingerprint) {
        if (merged != null) {
            merged.checkFingerprint(fingerprint.text());
        }
    }

    /**
     * The options of {@code args} (a shard header's) that {@code command}'s fingerprint covers, in
     * their order; other known options are dropped, anything else refused naming {@code file}.
     */
    static List<String> replayed(CommandLine.Model.CommandSpec command, List<String> args, Path file) {
        Set<String> covered = FINGERPRINTED.getOrDefault(command.name(), Set.of());
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            CommandLine.Model.OptionSpec option = name.startsWith("-") ? command.findOption(name) : null;
            if (option == null) {
                throw new InputException("merge: " + file + ": its header's args hold '" + a + "', which is not an option of '"
                        + command.name() + "': not a shard state file as colsparse writes it");
            }
            boolean takesValue = eq < 0 && option.arity().max() > 0;
            if (takesValue && i + 1 >= args.size()) {
                throw new InputException("merge: " + file + ": its header's args end in " + a + " without its value");
            }
            if (covered.contains(option.longestName())) {
                kept.add(a);
                if (takesValue) {
                    kept.add(args.get(i + 1));
                }
            }
            if (takesValue) {
                i++;
            }
        }
        return kept;
    }

    /** The command's arguments as given, less {@link #NOT_KEPT} and their values. */
    private static List<String> keptArgs(CommandLine.Model.CommandSpec spec) {
        List<String> given = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
        if (!given.isEmpty() && given.get(0).equals(spec.name())) {
            given.remove(0);
        }
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String a = given.get(i);
            int eq = a.indexOf('=');
            String name = eq < 0 ? a : a.substring(0, eq);
            if (NOT_KEPT.contains(name)) {
                if (eq < 0) {
                    i++;
                }
                continue;
            }
            kept.add(a);
        }
        return kept;
    }
}
