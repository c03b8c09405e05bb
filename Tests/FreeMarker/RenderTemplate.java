// Renders a FreeMarker template over a data model read from JSON, with the real FreeMarker engine
// (Debian's libfreemarker-java), the way Expensify's Integration Server renders an export template.
//
//   java -cp /usr/share/java/freemarker.jar Tests/FreeMarker/RenderTemplate.java TEMPLATE MODEL.json
//
// The model becomes plain Java values, as Expensify's own objects would be wrapped: objects are
// maps, arrays are lists, integral numbers are Long (BigInteger past 64 bits), other numbers
// BigDecimal, booleans Boolean. A JSON null leaves the key out (a missing value in FreeMarker).
// Used by the Swift test suite (Tests/LedgerDropTests/Fetch/ExportTemplateTests.swift).

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateExceptionHandler;
import java.io.*;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

public class RenderTemplate {
    public static void main(String[] args) throws Exception {
        Path template = Paths.get(args[0]);
        String json = new String(Files.readAllBytes(Paths.get(args[1])), StandardCharsets.UTF_8);
        Object model = new Reader(json).value();

        Configuration configuration = new Configuration(Configuration.VERSION_2_3_31);
        configuration.setDirectoryForTemplateLoading(template.toAbsolutePath().getParent().toFile());
        configuration.setDefaultEncoding("UTF-8");
        configuration.setOutputEncoding("UTF-8");
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        Template t = configuration.getTemplate(template.getFileName().toString());
        Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
        t.process(model, out);
        out.flush();
    }

    /** A small strict JSON reader: enough for a test's data model. */
    static final class Reader {
        private final String s;
        private int i = 0;

        Reader(String s) { this.s = s; }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> map = new LinkedHashMap<>();
                skip();
                if (s.charAt(i) == '}') { i++; return map; }
                while (true) {
                    skip();
                    String key = string();
                    skip(); expect(':');
                    Object v = value();
                    if (v != null) map.put(key, v);
                    skip();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect('}');
                    return map;
                }
            }
            if (c == '[') {
                i++;
                List<Object> list = new ArrayList<>();
                skip();
                if (s.charAt(i) == ']') { i++; return list; }
                while (true) {
                    list.add(value());
                    skip();
                    if (s.charAt(i) == ',') { i++; continue; }
                    expect(']');
                    return list;
                }
            }
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String number = s.substring(start, i);
            if (number.isEmpty()) throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
            if (number.matches("-?[0-9]+")) {
                BigInteger big = new BigInteger(number);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            return new BigDecimal(number);
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }

        private void skip() { while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++; }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' at " + i);
            i++;
        }
    }
}
