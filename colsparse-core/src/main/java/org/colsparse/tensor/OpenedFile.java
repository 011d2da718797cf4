package org.colsparse.tensor;

import org.colsparse.util.InputException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A file opened read-only and memory-mapped whole; the mapping outlives close() until collected. */
final class OpenedFile implements AutoCloseable {
    final String name;
    final FileChannel channel;
    final ByteSource bytes;

    private OpenedFile(String name, FileChannel channel, ByteSource bytes) {
        this.name = name;
        this.channel = channel;
        this.bytes = bytes;
    }

    static OpenedFile open(Path path) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new InputException(name + ": is a directory, not a tensor file");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
            return new OpenedFile(name, ch, ByteSource.map(ch, ch.size()));
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(name + ": permission denied");
        } catch (IOException e) {
            closeQuietly(ch);
            throw new InputException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing with the more useful error
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
