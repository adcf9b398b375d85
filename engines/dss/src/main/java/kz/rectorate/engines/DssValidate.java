package kz.rectorate.engines;

import java.io.File;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import eu.europa.esig.dss.enumerations.Indication;
import eu.europa.esig.dss.enumerations.SignatureLevel;
import eu.europa.esig.dss.enumerations.SubIndication;
import eu.europa.esig.dss.jaxb.object.Message;
import eu.europa.esig.dss.model.FileDocument;
import eu.europa.esig.dss.simplereport.SimpleReport;
import eu.europa.esig.dss.spi.DSSUtils;
import eu.europa.esig.dss.spi.validation.CommonCertificateVerifier;
import eu.europa.esig.dss.spi.x509.CommonTrustedCertificateSource;
import eu.europa.esig.dss.validation.SignedDocumentValidator;
import eu.europa.esig.dss.validation.reports.Reports;

/**
 * EU DSS validation of PAdES documents, offline, with only the given roots trusted and DSS's default
 * validation policy. Usage: DssValidate --trust ROOT.pem [--trust ...] [--time 2046-01-01T00:00:00Z]
 * FILE.pdf... Prints one JSON document: for each file, each signature's and each timestamp's format,
 * indication, sub-indication and DSS's AdES errors and warnings. No network source is configured:
 * no AIA, no OCSP, no CRL download; only what the documents embed (DSS/VRI) is used.
 */
public final class DssValidate {
    private DssValidate() {
    }

    public static void main(String[] args) throws Exception {
        List<String> roots = new ArrayList<>();
        List<String> files = new ArrayList<>();
        Date time = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--trust" -> roots.add(args[++i]);
                case "--time" -> time = Date.from(Instant.parse(args[++i]));
                default -> files.add(args[i]);
            }
        }
        if (roots.isEmpty() || files.isEmpty()) {
            System.err.println("usage: DssValidate --trust ROOT.pem [--time ISO-INSTANT] FILE.pdf...");
            System.exit(2);
        }
        CommonTrustedCertificateSource trusted = new CommonTrustedCertificateSource();
        for (String root : roots) {
            trusted.addCertificate(DSSUtils.loadCertificate(new File(root)));
        }
        CommonCertificateVerifier verifier = new CommonCertificateVerifier();
        verifier.setTrustedCertSources(trusted);
        verifier.setAIASource(null);
        verifier.setOcspSource(null);
        verifier.setCrlSource(null);

        StringBuilder out = new StringBuilder("{\"validation_time\": ")
            .append(time == null ? "null" : quote(time.toInstant().toString()))
            .append(", \"files\": [");
        for (int f = 0; f < files.size(); f++) {
            String file = files.get(f);
            SignedDocumentValidator validator = SignedDocumentValidator.fromDocument(new FileDocument(file));
            validator.setCertificateVerifier(verifier);
            if (time != null) {
                validator.setValidationTime(time);
            }
            Reports reports = validator.validateDocument();
            SimpleReport simple = reports.getSimpleReport();
            out.append(f == 0 ? "" : ", ").append("{\"file\": ").append(quote(new File(file).getName()));
            out.append(", \"signatures\": ").append(tokens(simple, simple.getSignatureIdList(), true));
            out.append(", \"timestamps\": ").append(tokens(simple, simple.getTimestampIdList(), false));
            out.append("}");
        }
        out.append("]}");
        System.out.println(out);
    }

    private static String tokens(SimpleReport report, List<String> ids, boolean signatures) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            Indication indication = report.getIndication(id);
            SubIndication sub = report.getSubIndication(id);
            out.append(i == 0 ? "" : ", ").append("{\"id\": ").append(quote(id));
            if (signatures) {
                SignatureLevel level = report.getSignatureFormat(id);
                out.append(", \"format\": ").append(quote(level == null ? null : level.name()));
                out.append(", \"signed_by\": ").append(quote(report.getSignedBy(id)));
                Date best = report.getBestSignatureTime(id);
                out.append(", \"best_signature_time\": ").append(quote(best == null ? null : best.toInstant().toString()));
            }
            out.append(", \"indication\": ").append(quote(indication == null ? null : indication.name()));
            out.append(", \"sub_indication\": ").append(quote(sub == null ? null : sub.name()));
            out.append(", \"errors\": ").append(messages(report.getAdESValidationErrors(id)));
            out.append(", \"warnings\": ").append(messages(report.getAdESValidationWarnings(id)));
            out.append("}");
        }
        return out.append("]").toString();
    }

    private static String messages(List<Message> messages) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            out.append(i == 0 ? "" : ", ").append(quote(m.getKey() + ": " + m.getValue()));
        }
        return out.append("]").toString();
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
