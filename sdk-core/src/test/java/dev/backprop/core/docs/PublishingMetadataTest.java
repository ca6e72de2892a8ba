package dev.backprop.core.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What Maven Central asks of the published artifacts: the licence text, the metadata every pom carries
 * (inherited from the parent, or the BOM's own as it has no parent), and a BOM that pins every SDK module.
 */
class PublishingMetadataTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theRepositoryCarriesTheApacheLicenceText() throws Exception {
        String licence = Files.readString(ROOT.resolve("LICENSE"));
        assertThat(licence.strip()).startsWith("Apache License");
        assertThat(licence).contains("Version 2.0, January 2004", "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
                "END OF TERMS AND CONDITIONS");
    }

    @Test
    void theParentAndTheBomCarryCentralsMetadata() throws Exception {
        for (String pom : List.of("pom.xml", "bom/pom.xml")) {
            Element project = pom(pom);
            assertThat(child(project, "name")).as(pom).isNotBlank();
            assertThat(child(project, "description")).as(pom).isNotBlank();
            assertThat(child(project, "url")).as(pom).isNotBlank();
            for (String section : List.of("licenses", "developers", "scm")) {
                assertThat(project.getElementsByTagName(section).getLength()).as(pom + " " + section).isEqualTo(1);
            }
            assertThat(project.getElementsByTagName("license").item(0).getTextContent()).contains("Apache License, Version 2.0");
        }
        assertThat(pom("bom/pom.xml").getElementsByTagName("parent").getLength()).as("the BOM has no parent").isZero();
    }

    @Test
    void thePublishedModulesNameAndDescribeThemselvesAndInheritTheRest() throws Exception {
        for (String module : List.of("sdk-all", "sdk-api", "sdk-core", "sdk-testkit", "plugin-archetype")) {
            Element project = pom(module + "/pom.xml");
            assertThat(child(project, "name")).as(module).startsWith("Backprop SDK");
            assertThat(child(project, "description")).as(module).isNotBlank();
            Element parent = (Element) project.getElementsByTagName("parent").item(0);
            assertThat(child(parent, "artifactId")).as(module).isEqualTo("backprop-parent");
            assertThat(Files.readString(ROOT.resolve(module + "/pom.xml"))).as(module + " publishes its docs")
                    .doesNotContain("<backprop.skipDocs>true</backprop.skipDocs>");
        }
        assertThat(child(pom("sdk-all/pom.xml"), "artifactId")).isEqualTo("backprop");
    }

    @Test
    void theBomPinsEverySdkModuleTheParentManages() throws Exception {
        List<String> parent = managedSdkArtifacts(pom("pom.xml"));
        List<String> bom = managedSdkArtifacts(pom("bom/pom.xml"));
        assertThat(parent).contains("backprop", "sdk-core", "plugin-schedules");
        assertThat(bom).containsAll(parent).contains("sdk-spark");
    }

    private static List<String> managedSdkArtifacts(Element project) {
        Element management = (Element) project.getElementsByTagName("dependencyManagement").item(0);
        NodeList dependencies = management.getElementsByTagName("dependency");
        List<String> artifacts = new ArrayList<>();
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            if ("dev.backprop".equals(child(dependency, "groupId"))) {
                artifacts.add(child(dependency, "artifactId"));
            }
        }
        return artifacts;
    }

    private static Element pom(String path) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve(path).toFile());
        return document.getDocumentElement();
    }

    /** The text of the direct child element {@code name}, or {@code null}. */
    private static String child(Element element, String name) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals(name)) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
