package dev.backprop.core.rundir;

import dev.backprop.api.BackpropException;
import dev.backprop.api.ErrorCode;
import dev.backprop.core.io.AtomicFiles;
import dev.backprop.core.io.IoErrors;
import dev.backprop.core.model.Model;
import dev.backprop.core.model.ModelFile;
import dev.backprop.core.network.Network;
import dev.backprop.core.plugin.PluginRegistry;
import dev.backprop.api.EpochMetrics;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Function;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of a run directory and of every file in it. Opening one takes an exclusive lock
 * ({@value #LOCK}, holding the owner's pid and host; the operating system releases it when the
 * process dies, so a lock a crashed process on this host left is recognised as stale and taken over). A
 * lock that names another host is refused unless the caller breaks it deliberately
 * ({@link ForeignLock#BREAK}): a file system shared between hosts need not pass locks between them, so
 * that run may still be going. A fresh run refuses a directory that already holds files;
 * {@link Mode#OVERWRITE} empties it first and {@link Mode#RESUME} continues what is there. No symbolic
 * link in the directory is ever followed or removed (the SDK creates none; a new run's directory may not be
 * a link either), every file is written to a temporary file beside it and moved into place, and temporary
 * files a killed process left behind are removed when the directory is next opened.
 */
public final class RunDirectory implements AutoCloseable {
    /** The lock file's name. */
    public static final String LOCK = ".backprop.lock";
    /** The resolved configuration of the run. */
    public static final String CONFIG = "config.yaml";
    /** The trained model. */
    public static final String MODEL = "model.json";
    /** A distributed run's report: workers, rows, traffic and time per step. */
    public static final String CLUSTER = "cluster.json";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** The files and folders a run (or a sweep) writes; only a directory holding nothing else is overwritten. */
    static final Set<String> KNOWN = Set.of("config.yaml", CLUSTER, "metrics.csv", "metrics.jsonl", "model.json", "run.log", "curves.png",
            "confusion.png", Checkpointer.FOLDER, "sweep.csv", LOCK);
    /** Temporary files of {@link AtomicFiles} and the plots: a dot, the target's name, random digits, a suffix. */
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\d+\\.(tmp|png)");
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    /** How a run uses its directory. */
    public enum Mode {
        /** A new run: the directory must be missing or empty. */
        FRESH,
        /** A run continued from its checkpoints: the directory must hold a run. */
        RESUME,
        /** A new run replacing whatever run the directory holds. */
        OVERWRITE,
        /** A sweep's folder: locked; its own earlier trials are overwritten one by one, nothing else is touched. */
        SWEEP
    }

    /** What to do with a lock that names another host, where this process cannot tell whether its owner still runs. */
    public enum ForeignLock {
        /** Refuse the directory, naming the host and pid (the default). */
        REFUSE,
        /** Take the lock over: the user has checked that no run on that host uses the directory. */
        BREAK
    }

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates (if needed) and locks a run directory, and checks that it may be used as asked. Nothing in
     * the directory is changed before the checks pass, except that the lock file is created and removed.
     *
     * @param directory the run directory
     * @param mode how the run uses it
     * @return the locked directory; close it when the run ends
     * @throws BackpropException ({@link ErrorCode#OUTPUT_FAILED}, exit 2 for a directory in use or not
     *     empty) if it cannot be used
     */
    public static RunDirectory open(Path directory, Mode mode) {
        return open(directory, mode, ForeignLock.REFUSE);
    }

    /**
     * As {@link #open(Path, Mode)}, choosing what happens to a lock that names another host.
     *
     * @param directory the run directory
     * @param mode how the run uses it
     * @param foreignLock whether a lock naming another host is refused or broken
     * @return the locked directory; close it when the run ends
     */
    public static RunDirectory open(Path directory, Mode mode, ForeignLock foreignLock) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(foreignLock, "foreignLock");
        if (mode == Mode.RESUME && !Files.isDirectory(directory)) {
            throw new BackpropException(ErrorCode.IO_FAILED, directory + ": no such run directory to resume.");
        }
        // A new run's directory is the one the user named, not wherever a link there points (a resume reads
        // the run the user pointed it at, through a link or not).
        if (mode != Mode.RESUME && Files.isSymbolicLink(directory)) {
            throw new BackpropException(ErrorCode.RUN_DIRECTORY_NOT_EMPTY, directory + ": is a symbolic link (to "
                    + linkTarget(directory) + "); a run directory is never reached through one. Give --out the folder it "
                    + "points to, or another folder.");
        }
        try {
            Files.createDirectories(directory);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, directory + ": could not create the run directory: "
                    + e.getFile() + " is not a directory.", e);
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, directory + ": could not create the run directory: "
                    + IoErrors.reason(e) + ".", e);
        }
        RunDirectory opened = lock(directory, foreignLock);
        try {
            opened.check(mode);
            return opened;
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private static RunDirectory lock(Path directory, ForeignLock foreignLock) {
        Path file = directory.resolve(LOCK);
        for (int attempt = 0; attempt < 10; attempt++) {
            FileChannel channel = null;
            try {
                if (Files.isSymbolicLink(file)) {
                    throw symlink(directory, LOCK);
                }
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                Object opened = key(file);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    String owner = readOwner(channel);
                    channel.close();
                    throw new BackpropException(ErrorCode.RUN_DIRECTORY_IN_USE, directory + ": is in use by another run ("
                            + (owner.isEmpty() ? "owner unknown" : owner) + "); wait for it to end or choose another --out.");
                }
                // The owner before us removes the file before it unlocks: if it did, our lock guards nothing; try again.
                if (!Objects.equals(opened, key(file))) {
                    lock.release();
                    channel.close();
                    continue;
                }
                String stale = readOwner(channel);
                if (!stale.isEmpty()) {
                    String host = hostOf(stale);
                    if (host != null && host.equalsIgnoreCase(thisHost())) {
                        // The operating system holds our lock only for living processes: that owner has gone.
                        LOG.info("{}: taking over a stale lock ({}, no longer running)", directory, stale);
                    } else if (foreignLock == ForeignLock.BREAK) {
                        LOG.warn("{}: breaking the lock of {} (--break-lock)", directory, printable(stale));
                    } else {
                        lock.release();
                        channel.close();
                        throw new BackpropException(ErrorCode.RUN_DIRECTORY_IN_USE, directory + ": its lock (" + LOCK + ") names "
                                + (host == null ? "an owner this SDK cannot read ('" + printable(stale) + "')"
                                        : printable(stale) + ", another host") + "; whether that run is still going cannot be seen from here "
                                + "(a file system shared between hosts need not share their locks), so it was not taken over. "
                                + "If no run uses the directory, pass --break-lock to take it over; otherwise choose another --out.");
                    }
                }
                byte[] owner = (ownerText() + "\n").getBytes(StandardCharsets.UTF_8);
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(owner), 0);
                channel.force(true);
                return new RunDirectory(directory, channel, lock);
            } catch (java.nio.file.NoSuchFileException e) {
                closeQuietly(channel);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new BackpropException(ErrorCode.OUTPUT_FAILED, file + ": could not lock the run directory: "
                        + IoErrors.reason(e) + ".", e);
            } catch (RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }
        throw new BackpropException(ErrorCode.RUN_DIRECTORY_IN_USE, directory + ": its lock keeps changing hands; another "
                + "process is using it.");
    }

    private static Object key(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    /** @return {@code pid 1234 on host h} */
    static String ownerText() {
        return "pid " + ProcessHandle.current().pid() + " on host " + thisHost();
    }

    private static final Pattern OWNER = Pattern.compile("pid \\d+ on host (\\S+)");

    /** @return the host a lock's owner text names, or {@code null} if it is not in the form {@link #ownerText()} writes */
    static String hostOf(String owner) {
        java.util.regex.Matcher matcher = OWNER.matcher(owner);
        return matcher.matches() ? matcher.group(1) : null;
    }

    /** @return at most an excerpt of a lock's text, control characters shown as {@code ?} */
    private static String printable(String owner) {
        return IoErrors.excerpt(owner).replaceAll("\\p{Cntrl}", "?");
    }

    private static volatile String host;

    /** @return this machine's host name, as locks record it ({@code unknown} if it has none) */
    static String thisHost() {
        String name = host;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "unknown";
            }
            host = name;
        }
        return name;
    }

    private void check(Mode mode) {
        List<Path> entries = entries(directory);
        for (Path entry : entries) {
            if (Files.isSymbolicLink(entry)) {
                throw symlink(directory, entry.getFileName().toString());
            }
        }
        List<Path> content = entries.stream().filter(p -> !p.getFileName().toString().equals(LOCK)).toList();
        switch (mode) {
            case FRESH -> {
                // A killed process's temporary files alone do not make a run: they are removed once the run starts.
                content = content.stream().filter(p -> !TEMPORARY.matcher(p.getFileName().toString()).matches()).toList();
                if (!content.isEmpty()) {
                    throw new BackpropException(ErrorCode.RUN_DIRECTORY_NOT_EMPTY, directory + ": already holds files ("
                            + names(content) + "); a new run never mixes with an old one. Pass --resume " + directory
                            + " to continue that run, --overwrite to replace it, or choose another --out.");
                }
            }
            case OVERWRITE -> {
                List<Path> foreign = content.stream().filter(p -> !isRunFile(p)).toList();
                if (!foreign.isEmpty()) {
                    throw new BackpropException(ErrorCode.RUN_DIRECTORY_NOT_EMPTY, directory + ": --overwrite replaces a run "
                            + "directory, but this one holds files no run writes (" + names(foreign) + "); nothing was "
                            + "removed. Choose another --out or remove them yourself.");
                }
                // Links deeper down (in checkpoints/) are refused too: overwriting never removes one silently.
                for (Path path : content) {
                    refuseLinksUnder(path);
                }
                for (Path path : content) {
                    AtomicFiles.deleteTree(path);
                }
            }
            case RESUME -> {
                Path checkpoints = directory.resolve(Checkpointer.FOLDER);
                for (Path entry : entries(checkpoints)) {
                    if (Files.isSymbolicLink(entry)) {
                        throw symlink(directory, Checkpointer.FOLDER + "/" + entry.getFileName());
                    }
                }
            }
            case SWEEP -> {
                // A sweep removes and rewrites only its own trial-NNNN folders and sweep.csv; other files stay as
                // they are, but a folder that holds a training run is that run's, never a sweep's.
                for (String runFile : List.of(CONFIG, MODEL, "metrics.csv", Checkpointer.FOLDER)) {
                    if (Files.exists(directory.resolve(runFile), LinkOption.NOFOLLOW_LINKS)) {
                        throw new BackpropException(ErrorCode.RUN_DIRECTORY_NOT_EMPTY, directory + ": holds a training run ("
                                + runFile + "); a sweep never mixes with a run. Choose another --out for the sweep.");
                    }
                }
                // The trials a sweep replaces must not hide a link that their removal would delete silently.
                for (Path entry : entries) {
                    if (TRIAL.matcher(entry.getFileName().toString()).matches()) {
                        refuseLinksUnder(entry);
                    }
                }
            }
            default -> throw new IllegalStateException(mode.toString());
        }
    }

    /**
     * Removes the temporary files a killed process left in the directory and its checkpoint folder. Call
     * it once the run is accepted (a refused resume leaves the directory as it was).
     */
    public void removeStaleTemporaries() {
        for (Path folder : List.of(directory, directory.resolve(Checkpointer.FOLDER))) {
            for (Path entry : entries(folder)) {
                if (TEMPORARY.matcher(entry.getFileName().toString()).matches()
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(entry);
                        LOG.info("Removed {}, left by a process that was killed while writing", entry);
                    } catch (IOException e) {
                        throw new BackpropException(ErrorCode.OUTPUT_FAILED, entry + ": could not remove a stale temporary file: "
                                + IoErrors.reason(e) + ".", e);
                    }
                }
            }
        }
    }

    /**
     * Creates {@code run.log} as a plain file (never through a link), so the log appender appends to it.
     */
    public void createLog() {
        Path log = directory.resolve("run.log");
        try {
            Files.newByteChannel(log, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS))
                    .close();
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, log + ": could not be created: " + IoErrors.reason(e) + ".", e);
        }
    }

    /** @return the directory */
    public Path path() {
        return directory;
    }

    /**
     * @param root where new run folders are made
     * @param name the experiment's name
     * @return a folder under {@code root} named after the experiment and the time, not yet existing
     */
    public static Path newPath(Path root, String name) {
        String stamp = LocalDateTime.now().format(STAMP);
        Path candidate = root.resolve(name + "-" + stamp);
        for (int i = 2; Files.exists(candidate); i++) {
            candidate = root.resolve(name + "-" + stamp + "-" + i);
        }
        return candidate;
    }

    /** @param yaml the resolved configuration's text, written as {@value #CONFIG} */
    public void writeConfig(String yaml) {
        write(CONFIG, yaml);
    }

    /**
     * @param report what the cluster did in a distributed run, as maps and lists, written as {@value #CLUSTER}
     */
    public void writeClusterReport(java.util.Map<String, Object> report) {
        try {
            AtomicFiles.writeString(file(CLUSTER), new com.fasterxml.jackson.databind.ObjectMapper()
                    .enable(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cluster.json could not be written: " + e.getMessage(), e);
        }
    }

    /**
     * @param earlier the metrics of epochs already done (a resumed run), possibly empty
     * @return the listener that writes {@code metrics.csv} and {@code metrics.jsonl} after every epoch
     */
    public MetricsFiles metrics(List<EpochMetrics> earlier) {
        return new MetricsFiles(directory, earlier);
    }

    /**
     * @param keep how many checkpoints to keep, newest first
     * @param network the network being trained
     * @param modelOf the model file a checkpoint carries, for the network's weights at that moment
     * @param trainedUnder the settings each checkpoint records it was trained under
     * @return the listener that writes every snapshot to {@code checkpoints/}
     */
    public Checkpointer checkpointer(int keep, Network network, Function<Network, Model> modelOf, Map<String, String> trainedUnder) {
        return new Checkpointer(directory, keep, network, modelOf, trainedUnder);
    }

    /**
     * @param model the trained model, written as {@value #MODEL}
     * @return where it was written
     */
    public Path writeModel(Model model) {
        Path file = file(MODEL);
        ModelFile.write(model, file);
        return file;
    }

    /**
     * @param runDirectory a run directory
     * @return its newest checkpoint file
     * @throws BackpropException if it has none
     */
    public static Path newestCheckpointFile(Path runDirectory) {
        List<Path> checkpoints = Checkpointer.list(runDirectory.resolve(Checkpointer.FOLDER));
        if (checkpoints.isEmpty()) {
            throw new BackpropException(ErrorCode.IO_FAILED, runDirectory + ": no checkpoints to resume from (looked in "
                    + runDirectory.resolve(Checkpointer.FOLDER) + ").");
        }
        return checkpoints.get(checkpoints.size() - 1);
    }

    /**
     * @param runDirectory a run directory
     * @param registry where the model's plugins are resolved
     * @return its newest checkpoint
     * @throws BackpropException if it has none, or the newest is damaged (never falls back silently)
     */
    public static CheckpointFile.Checkpoint newestCheckpoint(Path runDirectory, PluginRegistry registry) {
        return CheckpointFile.read(newestCheckpointFile(runDirectory), registry);
    }

    /**
     * @param name a file of the run, for example {@code config.yaml}
     * @return its path
     */
    public Path file(String name) {
        return directory.resolve(name);
    }

    /**
     * Writes one file of the run atomically.
     *
     * @param name the file's name in the directory
     * @param content its complete content
     */
    public void write(String name, String content) {
        AtomicFiles.writeString(file(name), content);
    }

    /**
     * Reads a text file of the run, refusing a symbolic link and anything past the bound.
     *
     * @param name the file's name in the directory
     * @param maxBytes the most bytes read
     * @return its text
     */
    public String read(String name, long maxBytes) {
        Path path = file(name);
        if (Files.isSymbolicLink(path)) {
            throw symlink(directory, name);
        }
        return dev.backprop.core.io.BoundedFiles.readText(path, path.toString(), maxBytes, ErrorCode.MODEL_INVALID);
    }

    /**
     * Writes files that belong together (such as {@code metrics.csv} and {@code metrics.jsonl}) so that
     * they never disagree: every content goes to its temporary file first, and only when all are written
     * are they moved into place. A failure (a full disk) leaves every file as it was.
     *
     * @param files each target and its complete content
     */
    public static void writeTogether(Map<Path, String> files) {
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        try {
            for (Map.Entry<Path, String> file : files.entrySet()) {
                Path target = file.getKey().toAbsolutePath();
                Path temp = AtomicFiles.temporaryFor(target, ".tmp");
                temporaries.put(target, temp);
                Files.writeString(temp, file.getValue(), StandardCharsets.UTF_8);
            }
            for (Map.Entry<Path, Path> move : temporaries.entrySet()) {
                AtomicFiles.move(move.getValue(), move.getKey());
            }
        } catch (IOException e) {
            throw new BackpropException(ErrorCode.OUTPUT_FAILED, String.join(" and ", files.keySet().stream().map(Path::toString).toList())
                    + ": could not be written: " + IoErrors.reason(e) + "; the files keep their previous content.", e);
        } finally {
            for (Path temp : temporaries.values()) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // Moved already, or the failure above is the one to report.
                }
            }
        }
    }

    /** Releases the lock and removes the lock file. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                Files.deleteIfExists(directory.resolve(LOCK));
                lock.release();
            }
        } catch (IOException e) {
            LOG.warn("{}: could not release the lock: {}", directory, IoErrors.reason(e));
        } finally {
            closeQuietly(channel);
        }
    }

    private static boolean isRunFile(Path path) {
        String name = path.getFileName().toString();
        return KNOWN.contains(name) || TEMPORARY.matcher(name).matches();
    }

    /** The entries of a folder; the folder itself may be a link the user gave (as {@code --out}), its entries are not followed. */
    private static List<Path> entries(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, folder + ": could not be listed: " + IoErrors.reason(e) + ".", e);
        }
    }

    private static String names(List<Path> paths) {
        List<String> names = new ArrayList<>();
        for (Path p : paths.subList(0, Math.min(paths.size(), 5))) {
            names.add(IoErrors.excerpt(p.getFileName().toString()));
        }
        return String.join(", ", names) + (paths.size() > 5 ? " and " + (paths.size() - 5) + " more" : "");
    }

    /** A sweep's trial folder, which a rerun of the sweep replaces. */
    private static final Pattern TRIAL = Pattern.compile("trial-\\d+");

    /** Refuses the directory if a symbolic link lies anywhere under {@code path} (links are not followed while looking). */
    private void refuseLinksUnder(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path link : walk.filter(Files::isSymbolicLink).limit(1).toList()) {
                throw symlink(directory, directory.relativize(link).toString());
            }
        } catch (IOException | UncheckedIOException e) {
            throw new BackpropException(ErrorCode.IO_FAILED, path + ": could not be listed: " + IoErrors.reason(e) + ".", e);
        }
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "unreadable: " + IoErrors.reason(e);
        }
    }

    private static BackpropException symlink(Path directory, String name) {
        return new BackpropException(ErrorCode.RUN_DIRECTORY_NOT_EMPTY, directory + ": " + name + " is a symbolic link (to "
                + linkTarget(directory.resolve(name)) + "), which no run creates; it is neither followed nor removed, and "
                + "nothing was changed. Remove it yourself, or choose another --out.");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more to release.
            }
        }
    }
}
