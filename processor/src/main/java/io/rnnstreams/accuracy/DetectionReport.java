package io.rnnstreams.accuracy;

import io.rnnstreams.eval.detection.DetectionTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The detection harness's tables as markdown: a heading and caption per corpus, then the
 * {@link DetectionTable} of its detectors (labelled corpora: profiles, AUCs, F1, events; normal corpora:
 * calibration fractions).
 */
public final class DetectionReport {
    private final int quiet;

    /** @param quiet readings below the threshold that re-arm an alarm (the detector's own setting) */
    public DetectionReport(int quiet) {
        this.quiet = quiet;
    }

    /** A labelled corpus's table; {@code extraNormal} (same detectors, may be empty) joins the event columns. */
    public String labelledTable(List<Detection.Scores> scores, List<Detection.Scores> extraNormal) {
        DetectionCorpus corpus = scores.get(0).corpus();
        List<DetectionTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < scores.size(); i++) {
            Detection.Scores s = scores.get(i);
            rows.add(new DetectionTable.Row(s.detector().name(), s.detector().threshold(), s.series(),
                    extraNormal.isEmpty() ? List.of() : extraNormal.get(i).series(), s.detector().escalation()));
        }
        return heading(corpus) + new DetectionTable(corpus.horizon(), quiet).labelled(rows);
    }

    /** A normal corpus's table. */
    public String normalTable(List<Detection.Scores> scores) {
        DetectionCorpus corpus = scores.get(0).corpus();
        List<DetectionTable.Row> rows = scores.stream().map(s -> new DetectionTable.Row(s.detector().name(),
                s.detector().threshold(), s.series(), List.of(), s.detector().escalation())).toList();
        return heading(corpus) + new DetectionTable(corpus.horizon(), quiet).normal(rows);
    }

    private static String heading(DetectionCorpus corpus) {
        return "### " + corpus.name() + "\n\n" + corpus.caption() + ".\n\n";
    }
}
