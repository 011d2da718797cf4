package org.colsparse.dataset;

import org.colsparse.util.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Fashion-MNIST (Zalando, MIT): 28x28 grey-scale clothing images, 60,000 train + 10,000 test,
 * 10 classes, in the four IDX files {@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The slice shipped in the repository's data folder (512 train + 128 test images). */
    public static final String SLICE_DIR = "fashion-mnist-slice";

    private FashionMnist() {
    }

    public enum Split {
        TRAIN("train"), TEST("t10k");

        final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Where the files were found. */
    public enum Origin { OVERRIDE, DEBIAN, SLICE }

    public record Location(Path dir, Origin origin) {
    }

    /**
     * The override (system property {@code colsparse.fashion-mnist} or environment variable
     * {@code COLSPARSE_FASHION_MNIST}), which must hold the four files; else the Debian package's
     * folder when installed; else the shipped slice.
     */
    public static Location locate() {
        Optional<Path> o = DataRoot.override("colsparse.fashion-mnist", "COLSPARSE_FASHION_MNIST");
        if (o.isPresent()) {
            Path dir = o.get();
            if (!hasFiles(dir)) {
                throw new InputException("COLSPARSE_FASHION_MNIST: " + dir + " does not hold the four Fashion-MNIST IDX .gz files");
            }
            return new Location(dir, Origin.OVERRIDE);
        }
        if (hasFiles(DEBIAN_DIR)) return new Location(DEBIAN_DIR, Origin.DEBIAN);
        Path slice = DataRoot.locate().resolve(SLICE_DIR);
        if (!hasFiles(slice)) {
            throw new InputException("Fashion-MNIST not found: run scripts/setup-data.sh (installs dataset-fashion-mnist) or restore " + slice);
        }
        return new Location(slice, Origin.SLICE);
    }

    static boolean hasFiles(Path dir) {
        for (Split s : Split.values()) {
            if (!Files.isRegularFile(imagesFile(dir, s)) || !Files.isRegularFile(labelsFile(dir, s))) return false;
        }
        return true;
    }

    static Path imagesFile(Path dir, Split split) {
        return dir.resolve(split.prefix + "-images-idx3-ubyte.gz");
    }

    static Path labelsFile(Path dir, Split split) {
        return dir.resolve(split.prefix + "-labels-idx1-ubyte.gz");
    }

    public static ImageSet load(Split split) {
        return load(locate().dir(), split);
    }

    public static ImageSet load(Path dir, Split split) {
        Path imgFile = imagesFile(dir, split), lblFile = labelsFile(dir, split);
        Idx.Array images = Idx.read(imgFile);
        Idx.Array labels = Idx.read(lblFile);
        if (images.dims().length != 3) throw new InputException(imgFile + ": expected 3 dimensions (count, rows, cols), found " + images.dims().length);
        if (labels.dims().length != 1) throw new InputException(lblFile + ": expected 1 dimension (count), found " + labels.dims().length);
        if (images.count() != labels.count()) {
            throw new InputException(lblFile + ": " + labels.count() + " labels for " + images.count() + " images in " + imgFile.getFileName());
        }
        for (byte b : labels.data()) {
            if ((b & 0xff) > 9) throw new InputException(lblFile + ": label " + (b & 0xff) + " is not a class 0..9");
        }
        return new ImageSet("fashion-mnist/" + split.prefix, images.dims()[1], images.dims()[2], 255, images.data(), labels.data());
    }
}
