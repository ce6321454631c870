package org.visutility.orchestrator.policy.spec;

/** One reason a policy file is invalid: where (line, field) and which rule it breaks. */
public record Problem(int line, String field, String reason) {
    public String render(String file) {
        String where = line > 0 ? file + ":" + line : file;
        return field.isEmpty() ? where + ": " + reason : where + ": " + field + ": " + reason;
    }
}
