package io.jselect.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Documentation that compiles. Every {@code ```java} block of README.md and of labs/*.md (when that
 * folder exists) is compiled against the library and the demos, read the way the README says: the
 * imports at its start are the file's imports; a block that declares a method or a type at its top
 * level is a class body; any other block is statements that run inside a method that throws
 * {@code Exception}. Every {@code ```xml} block is a dependency declaration Maven accepts: groupId,
 * artifactId and version present, and jselect's own at this project's version.
 */
class DocSnippetsTest {
    static final Path ROOT = Path.of(System.getProperty("jselect.test.root", "../..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("jselect.test.version");

    static final Pattern FENCE = Pattern.compile("(?m)^```(\\w+)[ \\t]*\\n(.*?)^```[ \\t]*$", Pattern.DOTALL);
    static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;\\s*$");
    /** A top-level (unindented) type or method declaration: what makes a block a class body. */
    static final Pattern DECLARATION = Pattern.compile("(?m)^(?:(?:public|protected|private|static|final|abstract"
            + "|default|synchronized|sealed)\\s+)*(?:(?:class|interface|record|enum)\\s+\\w+"
            + "|(?!(?:return|new|else|throw|for|while|if|switch|try|catch|do|yield)\\b)"
            + "(?:<[^>]+>\\s+)?[\\w.<>\\[\\]][\\w.<>\\[\\], ?]*\\s+\\w+\\s*\\([^;{}\\n]*\\)\\s*"
            + "(?:throws\\s+[\\w., ]+)?\\{)");

    /** One fenced block: where it is, its language and its text. */
    record Block(Path file, int line, String language, String text) {
        String where() {
            return ROOT.relativize(file) + ":" + line;
        }
    }

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        Path labs = ROOT.resolve("labs");
        if (Files.isDirectory(labs)) {
            try (Stream<Path> files = Files.list(labs)) {
                files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        return docs;
    }

    static List<Block> blocks(String language) throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path doc : documents()) {
            String text = Files.readString(doc);
            Matcher m = FENCE.matcher(text);
            while (m.find()) {
                if (m.group(1).equals(language)) {
                    int line = (int) text.substring(0, m.start(2)).chars().filter(c -> c == '\n').count() + 1;
                    blocks.add(new Block(doc, line, language, m.group(2)));
                }
            }
        }
        return blocks;
    }

    /** A block as a compilation unit, with the line of the block each of its lines came from. */
    record Unit(Block block, String name, String source, int[] blockLine) {
    }

    /** Wraps a block as the README says it is meant to be read. */
    static Unit wrap(Block block, int index) {
        String[] lines = block.text().split("\n", -1);
        StringBuilder source = new StringBuilder();
        List<Integer> origin = new ArrayList<>();
        String pkg = "snippet" + index;
        source.append("package ").append(pkg).append(";\n");
        origin.add(-1);
        int first = 0;
        while (first < lines.length && (lines[first].isBlank() || IMPORT.matcher(lines[first]).matches())) {
            source.append(lines[first]).append('\n');
            origin.add(first);
            first++;
        }
        String body = String.join("\n", List.of(lines).subList(first, lines.length));
        boolean classBody = DECLARATION.matcher(body).find();
        source.append(classBody ? "class Snippet {\n" : "class Snippet {\nvoid run() throws Exception {\n");
        origin.add(-1);
        if (!classBody) {
            origin.add(-1);
        }
        for (int i = first; i < lines.length; i++) {
            source.append(lines[i]).append('\n');
            origin.add(i);
        }
        source.append(classBody ? "}\n" : "}\n}\n");
        return new Unit(block, pkg + ".Snippet", source.toString(),
                origin.stream().mapToInt(i -> i < 0 ? -1 : block.line() + i).toArray());
    }

    static String classPath() {
        // Surefire runs tests from a manifest-only jar; it names the real class path here.
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @Test
    void everyJavaBlockCompiles(@TempDir Path out) throws IOException {
        List<Block> blocks = blocks("java");
        assertFalse(blocks.isEmpty(), "README.md has Java blocks");
        List<Unit> units = new ArrayList<>();
        for (Block block : blocks) {
            units.add(wrap(block, units.size()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Unit unit : units) {
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + unit.name().replace('.', '/') + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return unit.source();
                }
            });
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-d", out.toString(),
                    "-classpath", classPath());
            javac.getTask(null, files, diagnostics, options, null, sources).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String where = "(generated wrapper)";
            for (Unit unit : units) {
                if (d.getSource() != null && d.getSource().toUri().getPath().endsWith(unit.name().replace('.', '/') + ".java")) {
                    int line = (int) d.getLineNumber();
                    int docLine = line >= 1 && line <= unit.blockLine().length ? unit.blockLine()[line - 1] : -1;
                    where = ROOT.relativize(unit.block().file()) + ":" + (docLine < 0 ? unit.block().line() : docLine);
                }
            }
            errors.add(where + ": " + d.getMessage(Locale.ROOT));
        }
        assertEquals(List.of(), errors, "Java blocks of the documentation that do not compile");
        for (Unit unit : units) {
            assertTrue(Files.isRegularFile(out.resolve(unit.name().replace('.', '/') + ".class")),
                    unit.block().where() + " compiled");
        }
    }

    @Test
    void everyXmlBlockIsADependencyOnThisVersion() throws Exception {
        List<Block> blocks = blocks("xml");
        assertFalse(blocks.isEmpty(), "README.md has the JNI-only dependency block");
        for (Block block : blocks) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element root = factory.newDocumentBuilder()
                    .parse(new InputSource(new StringReader(block.text()))).getDocumentElement();
            List<Element> dependencies = new ArrayList<>();
            if (root.getTagName().equals("dependencies")) {
                dependencies.addAll(children(root, "dependency"));
            } else {
                assertEquals("dependency", root.getTagName(), block.where() + ": a <dependency> or <dependencies>");
                dependencies.add(root);
            }
            assertFalse(dependencies.isEmpty(), block.where() + ": no <dependency>");
            for (Element dependency : dependencies) {
                String groupId = text(dependency, "groupId", block);
                text(dependency, "artifactId", block);
                String version = text(dependency, "version", block);
                if (groupId.equals("io.jselect")) {
                    assertEquals(VERSION, version, block.where() + ": jselect's version is this project's");
                }
                for (Element exclusion : children(dependency, "exclusions").stream()
                        .flatMap(e -> children(e, "exclusion").stream()).toList()) {
                    text(exclusion, "groupId", block);
                    text(exclusion, "artifactId", block);
                }
            }
        }
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && e.getTagName().equals(tag)) {
                found.add(e);
            }
        }
        return found;
    }

    static String text(Element parent, String tag, Block block) {
        List<Element> found = children(parent, tag);
        assertEquals(1, found.size(), block.where() + ": one <" + tag + "> in <" + parent.getTagName() + ">");
        String value = found.get(0).getTextContent().trim();
        assertFalse(value.isEmpty(), block.where() + ": <" + tag + "> is empty");
        return value;
    }

    /** The convention, and the check, hold on blocks made to show each case. */
    @Test
    void blocksAreReadAsTheReadmeSays() {
        Block statements = new Block(ROOT.resolve("README.md"), 10, "java",
                "import java.util.List;\n\nint x = List.of(1).get(0);\n");
        Unit s = wrap(statements, 0);
        assertTrue(s.source().contains("void run() throws Exception {\nint x"), s.source());
        // package, import, blank, class, method: the sixth line is the block's third, line 12.
        assertEquals(12, s.blockLine()[5], "a line maps back to the document");

        Block declarations = new Block(ROOT.resolve("README.md"), 10, "java",
                "final int x = 1;\n\nvoid serve() throws IOException {\n}\n");
        assertFalse(wrap(declarations, 1).source().contains("void run()"), "a class body");
        assertTrue(DECLARATION.matcher("interface Callback { void call(); }").find());
        assertTrue(DECLARATION.matcher("static <T> List<T> f(int a) {").find());
        assertFalse(DECLARATION.matcher("    void indented() {").find(), "only top-level lines count");
        assertFalse(DECLARATION.matcher("try (Epoll ep = Epoll.create()) {").find(), "a statement");
        assertFalse(DECLARATION.matcher("for (FdEvent e : ep.poll(1.0)) {").find(), "a statement");
        assertFalse(DECLARATION.matcher("else if (ready(x)) {").find(), "a statement");
    }

}
