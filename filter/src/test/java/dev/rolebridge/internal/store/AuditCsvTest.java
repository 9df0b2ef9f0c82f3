package dev.rolebridge.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The audit trail as CSV: read back with Commons CSV, every value comes out as it went in, formulas defused. */
class AuditCsvTest {

    private static final Instant TIME = Instant.parse("2026-05-04T03:02:01.123456Z");

    private static AuditEvent event(List<String> added, List<String> rules, String roleBefore, Boolean active) {
        return new AuditEvent(
                TIME,
                "login",
                "https://idp.example.com/realms/a,b",
                "sub \"quoted\"",
                added,
                List.of("old\nline"),
                List.of(),
                roleBefore,
                "admin",
                rules,
                active);
    }

    private static List<CSVRecord> parse(String csv) throws IOException {
        try (CSVParser parser = CSVParser.parse(new StringReader(csv), CSVFormat.RFC4180)) {
            return parser.getRecords();
        }
    }

    @Test
    void writeQuotesCommasQuotesAndLineBreaksSoEveryValueReadsBack() throws IOException {
        StringWriter out = new StringWriter();

        AuditCsv.write(
                List.of(event(List.of("a, b", "c"), List.of("fired: by name: IdP group 'a, b'"), null, null)), out);

        List<CSVRecord> records = parse(out.toString());
        assertThat(records).hasSize(2);
        assertThat(records.get(0).values())
                .containsExactly(
                        "time",
                        "actor",
                        "actedBy",
                        "issuer",
                        "subject",
                        "added",
                        "removed",
                        "created",
                        "roleBefore",
                        "roleAfter",
                        "activeAfter",
                        "rules");
        assertThat(records.get(1).values())
                .containsExactly(
                        "2026-05-04T03:02:01.123456Z",
                        "login",
                        "",
                        "https://idp.example.com/realms/a,b",
                        "sub \"quoted\"",
                        "a, b; c",
                        "old\nline",
                        "",
                        "",
                        "admin",
                        "",
                        "fired: by name: IdP group 'a, b'");
        assertThat(out.toString()).contains("\"sub \"\"quoted\"\"\"").endsWith("\r\n");
    }

    @Test
    void writePrefixesCellsThatASpreadsheetWouldComputeWithAQuote() throws IOException {
        StringWriter out = new StringWriter();

        AuditCsv.write(
                List.of(
                        event(List.of("=HYPERLINK(\"http://x\")"), List.of("+1", "x"), "-2", true),
                        event(List.of("@SUM(A1)", "ok"), List.of("\tcmd"), "\rrole", false),
                        event(List.of("plain=1"), List.of(), "end-user", null)),
                out);

        List<CSVRecord> rows = parse(out.toString()).subList(1, 4);
        assertThat(rows.get(0).get(5)).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(rows.get(0).get(11)).isEqualTo("'+1; x");
        assertThat(rows.get(0).get(8)).isEqualTo("'-2");
        assertThat(rows.get(0).get(10)).isEqualTo("true");
        assertThat(rows.get(1).get(5)).isEqualTo("'@SUM(A1); ok");
        assertThat(rows.get(1).get(11)).isEqualTo("'\tcmd");
        assertThat(rows.get(1).get(8)).isEqualTo("'\rrole");
        assertThat(rows.get(1).get(10)).isEqualTo("false");
        assertThat(rows.get(2).get(5)).isEqualTo("plain=1");
        assertThat(rows.get(2).get(8)).isEqualTo("end-user");
    }

    @Test
    void writeWithoutEventsWritesTheHeaderOnly() throws IOException {
        StringWriter out = new StringWriter();

        AuditCsv.write(List.of(), out);

        assertThat(parse(out.toString()))
                .singleElement()
                .satisfies(header -> assertThat(header.get(0)).isEqualTo("time"));
    }

    @Test
    void writeWhenTheWriterFailsThenUncheckedIoException() {
        Writer broken = new Writer() {
            @Override
            public void write(char[] buffer, int offset, int length) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        assertThatThrownBy(() -> AuditCsv.write(List.of(event(List.of("a"), List.of(), null, null)), broken))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("disk full");
    }
}
