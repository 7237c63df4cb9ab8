package io.ccc.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TarTest {
    @Test
    void writeThenReadRoundTrips() throws IOException {
        byte[] big = new byte[1_000_003];
        new Random(1).nextBytes(big);
        String longName = "d/" + "x".repeat(150) + "/ünï.txt";
        List<Tar.Entry> entries = List.of(Tar.Entry.directory("d"), Tar.Entry.file("d/a.txt", "hello".getBytes(StandardCharsets.UTF_8)),
                Tar.Entry.file("big.bin", big), Tar.Entry.file(longName, new byte[0]));
        Map<String, byte[]> read = new LinkedHashMap<>();
        try (Tar.Reader r = new Tar.Reader(Tar.stream(entries))) {
            for (Tar.Reader.Header h = r.next(); h != null; h = r.next()) {
                read.put(h.name() + (h.type() == Tar.Reader.Type.DIRECTORY ? "#dir" : ""), r.content().readAllBytes());
            }
        }
        assertThat(read.keySet()).containsExactly("d/#dir", "d/a.txt", "big.bin", longName);
        assertThat(read.get("big.bin")).isEqualTo(big);
        assertThat(read.get("d/a.txt")).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void systemTarReadsWhatWeWrite() throws Exception {
        Path dir = Files.createTempDirectory("tar-test");
        Path archive = dir.resolve("a.tar");
        try (InputStream in = Tar.stream(List.of(Tar.Entry.directory("out"), Tar.Entry.file("out/f.txt", "data".getBytes(StandardCharsets.UTF_8)),
                Tar.Entry.file("out/" + "y".repeat(120), "long".getBytes(StandardCharsets.UTF_8))))) {
            Files.copy(in, archive);
        }
        Process p = new ProcessBuilder("tar", "-xf", archive.toString(), "-C", dir.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
        assertThat(Files.readString(dir.resolve("out/f.txt"))).isEqualTo("data");
        assertThat(Files.readString(dir.resolve("out/" + "y".repeat(120)))).isEqualTo("long");
    }

    @Test
    void aSourceShorterThanAnnouncedFails() {
        InputStream tar = Tar.stream(List.of(Tar.Entry.file("f", 10, () -> new ByteArrayInputStream(new byte[3]))));
        assertThatThrownBy(tar::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("early");
    }
}
