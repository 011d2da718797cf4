package org.colsparse.dataset;

import org.colsparse.motion.Bvh;
import org.colsparse.motion.BvhClip;
import org.colsparse.motion.ForwardKinematics;
import org.colsparse.motion.MotionClip;
import org.colsparse.util.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CMU motion-capture clips shipped in {@code data/cmu-mocap/} (subject 131: two walks and a
 * hop, 120 fps BVH, 31 joints): the motion and dance workloads' training data.
 */
public final class CmuMocap {
    /**
     * Metres per CMU skeleton unit: the CMU ASF skeletons declare {@code :units length 0.45},
     * i.e. one unit is {@code 1 / 0.45} inch = {@code 0.0254 / 0.45} m ~ 0.05644 m, and the BVH
     * conversions keep those units (a thigh of 7.3 units = 0.41 m).
     */
    public static final double METRES_PER_UNIT = 0.0254 / 0.45;

    private CmuMocap() {
    }

    /** Override (property {@code colsparse.mocap} / env {@code COLSPARSE_MOCAP}) or {@code data/cmu-mocap}. */
    public static Path locate() {
        Optional<Path> o = DataRoot.override("colsparse.mocap", "COLSPARSE_MOCAP");
        return o.orElseGet(() -> DataRoot.locate().resolve("cmu-mocap"));
    }

    /** The BVH files of a folder, sorted by name. */
    public static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".bvh")).sorted().toList();
            if (l.isEmpty()) throw new InputException(dir + ": no .bvh files");
            return l;
        } catch (IOException e) {
            throw new InputException(dir + ": cannot list motion clips: " + e.getMessage(), e);
        }
    }

    public static List<BvhClip> loadBvh() {
        return files(locate()).stream().map(Bvh::read).toList();
    }

    /** Every clip as joint positions in CMU units ({@link #METRES_PER_UNIT}) at the file's rate. */
    public static List<MotionClip> load() {
        return loadBvh().stream().map(c -> ForwardKinematics.run(c, METRES_PER_UNIT)).toList();
    }
}
