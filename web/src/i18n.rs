//! Every interface string, in Spanish and English.
//!
//! [`Text`] has one field per string, so a string missing in one language does not
//! compile. Quality bands, check ids and error codes are never translated: they are the
//! pipeline's and the core's stable names.

/// An interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Español (the default: the pipeline's users are Colombian auditors).
    #[default]
    Es,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 code (`es`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    /// Parses `es`/`en` (any case, region ignored: `es-CO` is Spanish).
    pub fn parse(s: &str) -> Option<Lang> {
        let base = s
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match base.as_str() {
            "es" => Some(Lang::Es),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The strings of one language.
#[derive(Debug)]
pub struct Text {
    /// Page title.
    pub title: &'static str,
    /// Subtitle under the title.
    pub subtitle: &'static str,
    /// Label of the language switch.
    pub language: &'static str,
    /// Print button.
    pub print: &'static str,
    /// Footer line.
    pub footer: &'static str,
    /// Loading panel heading.
    pub load_title: &'static str,
    /// Drop zone hint.
    pub drop_hint: &'static str,
    /// Phase 6 picker.
    pub pick_phase6: &'static str,
    /// Claimed p07 picker.
    pub pick_claimed: &'static str,
    /// Certificate picker.
    pub pick_certificate: &'static str,
    /// Sample button.
    pub load_sample: &'static str,
    /// The size cap.
    pub size_cap: &'static str,
    /// Label of the loaded Phase 6 file.
    pub phase6_file: &'static str,
    /// Label of the loaded claim.
    pub claimed_file: &'static str,
    /// Label of the loaded certificate.
    pub certificate_file: &'static str,
    /// Origin: the sample.
    pub origin_sample: &'static str,
    /// Origin: a local file.
    pub origin_file: &'static str,
    /// Origin: a URL.
    pub origin_url: &'static str,
    /// Busy indicator.
    pub working: &'static str,
    /// Macro score heading.
    pub macro_score: &'static str,
    /// Exact value label.
    pub exact_value: &'static str,
    /// score_normalized label.
    pub normalized: &'static str,
    /// 95 % interval label.
    pub interval_95: &'static str,
    /// score_std label.
    pub score_std: &'static str,
    /// evaluation_id label.
    pub evaluation_id: &'static str,
    /// Cluster chart heading.
    pub clusters_title: &'static str,
    /// Gap threshold, long.
    pub gap_threshold: &'static str,
    /// Gap threshold, chart label.
    pub gap_short: &'static str,
    /// Macro score, chart label.
    pub macro_short: &'static str,
    /// Legend: bar.
    pub legend_score: &'static str,
    /// Legend: bar under the threshold.
    pub legend_gap: &'static str,
    /// Legend: whisker.
    pub legend_interval: &'static str,
    /// Column: cluster.
    pub cluster: &'static str,
    /// Column: name.
    pub name: &'static str,
    /// Column: score.
    pub score: &'static str,
    /// Breakdown heading.
    pub breakdown_title: &'static str,
    /// Coherence heading.
    pub coherence: &'static str,
    /// Alignment heading.
    pub alignment: &'static str,
    /// Strategic coherence.
    pub strategic: &'static str,
    /// Operational coherence.
    pub operational: &'static str,
    /// Institutional coherence.
    pub institutional: &'static str,
    /// Cross-cutting coherence.
    pub cross_cutting: &'static str,
    /// Inter-cluster variance.
    pub inter_cluster_variance: &'static str,
    /// Vertical alignment.
    pub vertical: &'static str,
    /// Horizontal alignment.
    pub horizontal: &'static str,
    /// Temporal alignment.
    pub temporal: &'static str,
    /// Strategic alignment.
    pub strategic_alignment: &'static str,
    /// Gaps heading.
    pub gaps_title: &'static str,
    /// How gaps are found.
    pub gaps_rule: &'static str,
    /// No gaps.
    pub no_gaps: &'static str,
    /// Column: policy area.
    pub area: &'static str,
    /// Column: severity.
    pub severity: &'static str,
    /// Inputs heading.
    pub inputs_title: &'static str,
    /// Errors heading.
    pub errors_title: &'static str,
    /// Warnings heading.
    pub warnings_title: &'static str,
    /// Failure class label.
    pub failure_class: &'static str,
    /// Column: code.
    pub code: &'static str,
    /// Column: field.
    pub field: &'static str,
    /// Column: value.
    pub value: &'static str,
    /// Column: message.
    pub message: &'static str,
    /// Audit trail heading.
    pub audit_title: &'static str,
    /// After n/m.
    pub checks_passed: &'static str,
    /// Input contract stage.
    pub stage_input: &'static str,
    /// Output contract stage.
    pub stage_output: &'static str,
    /// Invariants stage.
    pub stage_invariants: &'static str,
    /// Exit gate stage.
    pub stage_gate: &'static str,
    /// Column: check.
    pub check: &'static str,
    /// Column: description.
    pub description: &'static str,
    /// Column: expected.
    pub expected: &'static str,
    /// Column: actual.
    pub actual: &'static str,
    /// Column: result.
    pub result: &'static str,
    /// Verdict: pass.
    pub pass: &'static str,
    /// Verdict: fail.
    pub fail: &'static str,
    /// Verdict: warning.
    pub warn: &'static str,
    /// Certificates heading.
    pub certificates_title: &'static str,
    /// Issue heading.
    pub issue: &'static str,
    /// Issue help.
    pub issue_help: &'static str,
    /// Verify heading.
    pub verify: &'static str,
    /// Verify help.
    pub verify_help: &'static str,
    /// Claim heading.
    pub claim_title: &'static str,
    /// Determinism heading.
    pub determinism_title: &'static str,
    /// Determinism help.
    pub determinism_help: &'static str,
    /// Input digest.
    pub digest_input: &'static str,
    /// Config digest.
    pub digest_config: &'static str,
    /// Output digest.
    pub digest_output: &'static str,
    /// Exact-bits digest.
    pub digest_exact: &'static str,
    /// Rerun count label.
    pub rerun_count: &'static str,
    /// Rerun button.
    pub rerun: &'static str,
    /// After n/m.
    pub reruns_identical: &'static str,
    /// Details toggle.
    pub show_reruns: &'static str,
    /// Row verdict.
    pub identical: &'static str,
    /// Row verdict.
    pub different: &'static str,
    /// Label of a loaded audit trail.
    pub audit_trail_file: &'static str,
    /// Audit trail picker.
    pub pick_audit_trail: &'static str,
    /// certificate_id label.
    pub certificate_id: &'static str,
    /// ready_for_phase8 label.
    pub ready_for_phase8: &'static str,
    /// Yes.
    pub yes: &'static str,
    /// No.
    pub no: &'static str,
    /// Audit root label.
    pub audit_root: &'static str,
    /// Verdict: verified.
    pub verified: &'static str,
    /// Verdict: not verified.
    pub not_verified: &'static str,
    /// Verdict: input rejected.
    pub input_rejected: &'static str,
    /// What a pass vouches for (Spanish; English comes from the core).
    pub vouches_for: &'static str,
    /// What it does not vouch for (Spanish).
    pub does_not_vouch_for: &'static str,
    /// Heading of the field-level diff.
    pub differing_fields: &'static str,
    /// Column: expected by the rerun.
    pub expected_rerun: &'static str,
    /// Column: found in the file.
    pub actual_file: &'static str,
    /// Column: note.
    pub note: &'static str,
    /// Label: what the pass vouches for.
    pub vouches: &'static str,
    /// Label: what a pass would vouch for.
    pub would_vouch: &'static str,
    /// Label: what it does not vouch for.
    pub does_not_vouch: &'static str,
    /// Details: every verification check.
    pub all_checks: &'static str,
    /// Claim status: equal.
    pub status_equal: &'static str,
    /// Claim status: explained.
    pub status_explained: &'static str,
    /// Claim status: different.
    pub status_different: &'static str,
    /// Claim status: not compared.
    pub status_not_compared: &'static str,
    /// Column: our value.
    pub ours: &'static str,
    /// Column: claimed value.
    pub claimed: &'static str,
    /// Claim verdict: identical.
    pub claim_identical: &'static str,
    /// Claim verdict: explained.
    pub claim_explained: &'static str,
    /// Claim verdict: different.
    pub claim_different: &'static str,
    /// Claim verdict: rerun failed.
    pub rerun_failed: &'static str,
    /// Details: every compared field.
    pub all_fields: &'static str,
    /// What the claim check does.
    pub claim_help: &'static str,
    /// Chain verdict: intact.
    pub chain_intact: &'static str,
    /// After the entry count.
    pub chain_links: &'static str,
    /// Chain verdict: broken.
    pub chain_broken: &'static str,
    /// After the break count.
    pub chain_breaks: &'static str,
    /// How the chain works.
    pub chain_help: &'static str,
    /// Certificate id in the digest list.
    pub digest_certificate: &'static str,
    /// Signals panel heading.
    pub signals_title: &'static str,
    /// What the signals are.
    pub signals_help: &'static str,
    /// Column: signal type.
    pub signal_type: &'static str,
    /// Column: stage.
    pub stage: &'static str,
    /// Column: time.
    pub time: &'static str,
    /// Column: detail.
    pub detail: &'static str,
    /// Metrics panel heading.
    pub metrics_title: &'static str,
    /// Metrics are not hashed.
    pub metrics_help: &'static str,
    /// Column: duration.
    pub duration_ms: &'static str,
    /// Column: memory.
    pub memory: &'static str,
    /// Column: memory change.
    pub memory_delta: &'static str,
    /// Run outcome.
    pub outcome: &'static str,
    /// Total duration.
    pub total_duration: &'static str,
    /// Peak memory.
    pub peak_memory: &'static str,
    /// Mean stage duration.
    pub mean_stage: &'static str,
    /// Slowest stage.
    pub slowest_stage: &'static str,
    /// Input size.
    pub input_size: &'static str,
    /// Clusters processed.
    pub clusters_processed: &'static str,
    /// Checks run / failed.
    pub checks_run: &'static str,
    /// Batch panel heading.
    pub batch_title: &'static str,
    /// What the batch does.
    pub batch_help: &'static str,
    /// Batch picker.
    pub batch_pick: &'static str,
    /// Progress label.
    pub batch_done: &'static str,
    /// CSV export button.
    pub export_csv: &'static str,
    /// CSV note.
    pub csv_note: &'static str,
    /// Column: plan.
    pub plan: &'static str,
    /// Column: band.
    pub band: &'static str,
    /// Column: gaps.
    pub gaps: &'static str,
    /// Column: verified.
    pub verified_col: &'static str,
    /// Column: error code.
    pub error_code: &'static str,
    /// Sort hint.
    pub sort_hint: &'static str,
    /// Skip link to the result.
    pub skip_link: &'static str,
    /// Verdict bar label.
    pub verdict_title: &'static str,
    /// Verdict bar: checks.
    pub verdict_checks: &'static str,
    /// Verdict bar: certificate.
    pub verdict_certificate: &'static str,
    /// Verdict bar: claimed p07.
    pub verdict_claim: &'static str,
    /// Verdict bar: nothing loaded.
    pub verdict_none: &'static str,
    /// Verdict bar: waiting for a result.
    pub verdict_pending: &'static str,
    /// Link to the details.
    pub verdict_details: &'static str,
    /// Verdict bar: input rejected.
    pub verdict_rejected: &'static str,
    /// Verdict bar: a check failed.
    pub verdict_failed: &'static str,
    /// Verdict bar: every check passed.
    pub verdict_passed: &'static str,
    /// Short verdict: verified.
    pub verified_short: &'static str,
    /// Short verdict: not verified.
    pub not_verified_short: &'static str,
    /// Short claim verdict: identical.
    pub identical_short: &'static str,
    /// Short claim verdict: explained.
    pub explained_short: &'static str,
    /// Short claim verdict: different.
    pub different_short: &'static str,
    /// Short claim verdict: rerun failed.
    pub rerun_failed_short: &'static str,
    /// Cancel button of pending loads.
    pub cancel: &'static str,
    /// Column: value difference.
    pub difference: &'static str,
    /// Run options heading.
    pub run_options: &'static str,
    /// Strict mode checkbox.
    pub strict_mode: &'static str,
    /// Evaluation time field.
    pub evaluated_at: &'static str,
    /// Apply button.
    pub apply: &'static str,
    /// Invalid evaluation time.
    pub bad_time: &'static str,
    /// Batch: totals by band.
    pub band_totals: &'static str,
    /// Batch: rejected files.
    pub rejected_total: &'static str,
    /// Previous page.
    pub previous: &'static str,
    /// Next page.
    pub next: &'static str,
    /// Replace the batch.
    pub replace: &'static str,
    /// Keep the batch.
    pub keep: &'static str,
    /// Marks the audit trail of a failed run.
    pub not_certified: &'static str,
    /// Band margin heading.
    pub margin_title: &'static str,
    /// After a value on the 0–3 scale.
    pub on_scale: &'static str,
    /// Label of everything not certified.
    pub not_certified_badge: &'static str,
    /// Sensitivity panel heading.
    pub sens_title: &'static str,
    /// What the sensitivity analysis is.
    pub sens_note: &'static str,
    /// Band probabilities heading.
    pub probs_title: &'static str,
    /// How they are computed.
    pub probs_help: &'static str,
    /// Monte Carlo heading.
    pub mc_title: &'static str,
    /// What a draw is.
    pub mc_help: &'static str,
    /// Draws field.
    pub draws_label: &'static str,
    /// Seed field.
    pub seed_label: &'static str,
    /// Weight range field.
    pub range_label: &'static str,
    /// Run button.
    pub mc_run: &'static str,
    /// After a number of draws.
    pub draws: &'static str,
    /// Band frequencies heading.
    pub band_frequencies: &'static str,
    /// Histogram heading.
    pub histogram_title: &'static str,
    /// The run's score marker.
    pub run_score: &'static str,
    /// Tornado chart heading.
    pub tornado_title: &'static str,
    /// One-at-a-time case.
    pub weight_low: &'static str,
    /// One-at-a-time case.
    pub weight_high: &'static str,
    /// One-at-a-time case.
    pub dropped: &'static str,
    /// Quantiles heading.
    pub quantiles: &'static str,
    /// Mean.
    pub mean: &'static str,
    /// Standard deviation.
    pub std: &'static str,
    /// Sensitivity indices heading.
    pub indices_title: &'static str,
    /// Column: factor.
    pub factor: &'static str,
    /// Column: first-order index.
    pub first_order: &'static str,
    /// Column: total-order index.
    pub total_order: &'static str,
    /// Factor: a weight.
    pub factor_weight: &'static str,
    /// Factor: a score.
    pub factor_score: &'static str,
    /// One-at-a-time table toggle.
    pub oat_table: &'static str,
    /// Column: case.
    pub case: &'static str,
    /// Digest of the result.
    pub result_digest: &'static str,
    /// Random generator.
    pub generator: &'static str,
    /// Link to the Monte Carlo run.
    pub mc_link: &'static str,
    /// What-if heading.
    pub whatif_title: &'static str,
    /// The slider rule.
    pub whatif_help: &'static str,
    /// Back to the published weights.
    pub whatif_reset: &'static str,
    /// The compact what-if text.
    pub whatif_text: &'static str,
    /// Link to the what-if.
    pub whatif_link: &'static str,
    /// The published value.
    pub published: &'static str,
    /// Digest of the edited configuration.
    pub config_digest_edited: &'static str,
    /// Digest of the published configuration.
    pub config_digest_published: &'static str,
    /// Batch column: band margin.
    pub margin_col: &'static str,
    /// Batch column: probability of the band.
    pub p_band_col: &'static str,
    /// Refusal panel heading.
    pub refusal_title: &'static str,
    /// A refused plan.
    pub refused_banner: &'static str,
    /// What was refused.
    pub refused_at_stage: &'static str,
    /// The failed checks.
    pub failed_checks: &'static str,
    /// SHA-256 of the input's bytes.
    pub input_sha256: &'static str,
    /// Violations heading.
    pub violations: &'static str,
    /// The checks that ran.
    pub checks_that_ran: &'static str,
    /// Download button.
    pub download_refusal: &'static str,
    /// Download button.
    pub download_trail_nc: &'static str,
    /// What the record vouches for.
    pub refusal_note: &'static str,
    /// Confirm heading.
    pub confirm_title: &'static str,
    /// How a record is confirmed.
    pub confirm_help: &'static str,
    /// Refusal record picker.
    pub pick_refusal: &'static str,
    /// Refusal verdict: confirmed.
    pub confirmed: &'static str,
    /// Refusal verdict: not confirmed.
    pub not_confirmed: &'static str,
    /// Verdict bar: refusal record.
    pub verdict_refusal: &'static str,
    /// Label of a loaded refusal record.
    pub refusal_file: &'static str,
    /// A refused run gets no certificate.
    pub issue_refused: &'static str,
    /// Label: distance to a threshold.
    pub distance_to: &'static str,
    /// After a probability of the normal model.
    pub normal_model: &'static str,
    /// Before a threshold: "from 0.55".
    pub from: &'static str,
}

/// Spanish.
pub static ES: Text = Text {
    title: "Auditoría de la Fase 7",
    subtitle: "Recálculo bit a bit de la agregación macro (F.A.R.F.A.N), en su navegador y sin servidor",
    language: "Idioma",
    print: "Imprimir informe",
    footer: "Todo se calcula en este navegador; ningún archivo sale de su equipo.",
    load_title: "Archivos",
    drop_hint: "Arrastre aquí el archivo de la Fase 6 (y, si los tiene, p07_output.json y certificate.json), o elíjalos:",
    pick_phase6: "Archivo Fase 6…",
    pick_claimed: "p07_output.json del pipeline…",
    pick_certificate: "certificate.json…",
    load_sample: "Usar el ejemplo",
    size_cap: "Límite: 16 MiB por archivo (se comprueba antes de leerlo).",
    phase6_file: "Fase 6",
    claimed_file: "p07 declarado",
    certificate_file: "Certificado",
    origin_sample: "ejemplo incluido",
    origin_file: "archivo local",
    origin_url: "descargado",
    working: "Calculando…",
    macro_score: "Puntaje macro",
    exact_value: "Valor exacto (f64)",
    normalized: "Normalizado (score / 3)",
    interval_95: "Intervalo 95 %",
    score_std: "Desviación estándar",
    evaluation_id: "Id. de evaluación",
    clusters_title: "Clústeres",
    gap_threshold: "umbral de brecha",
    gap_short: "brecha",
    macro_short: "macro",
    legend_score: "puntaje",
    legend_gap: "bajo el umbral de brecha (1.65)",
    legend_interval: "intervalo 95 % (±1.96·σ)",
    cluster: "Clúster",
    name: "Nombre",
    score: "Puntaje",
    breakdown_title: "Coherencia y alineación",
    coherence: "Coherencia",
    alignment: "Alineación",
    strategic: "Estratégica",
    operational: "Operativa",
    institutional: "Institucional",
    cross_cutting: "Transversal (ponderada)",
    inter_cluster_variance: "Varianza entre clústeres",
    vertical: "Vertical (MESO 1–2)",
    horizontal: "Horizontal (todos los pares)",
    temporal: "Temporal (MESO 3–4)",
    strategic_alignment: "Alineación estratégica",
    gaps_title: "Brechas sistémicas",
    gaps_rule: "El área más débil de cada clúster con puntaje menor que 1.65 (0.55 × 3): crítica < 1.0, grave < 1.35, si no moderada.",
    no_gaps: "Sin brechas sistémicas.",
    area: "Área",
    severity: "Severidad",
    inputs_title: "Entrada (Fase 6 validada)",
    errors_title: "Errores",
    warnings_title: "Advertencias",
    failure_class: "Tipo de fallo",
    code: "Código",
    field: "Campo",
    value: "Valor",
    message: "Mensaje",
    audit_title: "Registro de auditoría",
    checks_passed: "comprobaciones superadas",
    stage_input: "Contrato de entrada",
    stage_output: "Contrato de salida",
    stage_invariants: "Invariantes",
    stage_gate: "Compuerta de salida",
    check: "Comprobación",
    description: "Descripción",
    expected: "Esperado",
    actual: "Obtenido",
    result: "Resultado",
    pass: "cumple",
    fail: "falla",
    warn: "advertencia",
    certificates_title: "Certificados",
    issue: "Emitir",
    issue_help: "Descargue el resultado recalculado en este navegador.",
    verify: "Verificar",
    verify_help: "Cargue un certificate.json (arriba, o suéltelo en la zona de archivos): se recalcula desde el archivo de la Fase 6 y se compara campo por campo.",
    claim_title: "Salida p07 declarada por el pipeline",
    determinism_title: "Determinismo",
    determinism_help: "Mismos bytes, mismos bits: recalcule N veces aquí; cada resumen debe ser idéntico. Una ejecución nativa del mismo archivo imprime los mismos resúmenes (phase7 run: «input digest», «config digest», «output digest») y escribe en certificate.json la misma raíz del registro y el mismo id. de certificado: compárelos.",
    digest_input: "Resumen de entrada",
    digest_config: "Resumen de configuración",
    digest_output: "Resumen de salida",
    digest_exact: "Bits exactos",
    rerun_count: "Repeticiones",
    rerun: "Recalcular",
    reruns_identical: "recálculos idénticos en todos los resúmenes",
    show_reruns: "Ver cada recálculo",
    identical: "idéntico",
    different: "distinto",
    audit_trail_file: "Registro de auditoría",
    pick_audit_trail: "audit_trail.json (opcional)…",
    certificate_id: "Id. del certificado",
    ready_for_phase8: "Listo para la Fase 8",
    yes: "sí",
    no: "no",
    audit_root: "Raíz del registro",
    verified: "VERIFICADO: el recálculo reproduce todo lo que el certificado afirma",
    not_verified: "NO VERIFICADO: comprobaciones fallidas",
    input_rejected: "ENTRADA RECHAZADA: el archivo de la Fase 6 no cumple el contrato, no se puede recalcular",
    vouches_for: "Recalcular la Fase 7 sobre esta entrada de la Fase 6 con la configuración publicada reproduce todo lo que el certificado afirma: esta entrada + esta configuración ⇒ este MacroScore (resumen de salida) y este registro de auditoría (raíz); los dos id. de certificado son los resúmenes de sus cuerpos y el certificado 6 → 7 está encadenado en el 7 → 8. El audit_trail.json cargado, si lo hay, es exactamente el del recálculo.",
    does_not_vouch_for: "Quién emitió el certificado, ni cuándo: aún no hay firmas, cualquiera que tenga el archivo de la Fase 6 puede emitir un certificado idéntico, e issued_at / evaluation_timestamp son declaraciones no verificables del emisor. Tampoco que la entrada de la Fase 6 sea correcta: solo que el resultado de la Fase 7 se sigue de ella.",
    differing_fields: "Campos que difieren",
    expected_rerun: "Esperado (recálculo)",
    actual_file: "En el archivo",
    note: "Nota",
    vouches: "Garantiza",
    would_vouch: "Nada queda garantizado. Un resultado positivo garantizaría",
    does_not_vouch: "No garantiza",
    all_checks: "Todas las comprobaciones",
    status_equal: "idéntico",
    status_explained: "explicado",
    status_different: "distinto",
    status_not_compared: "no comparado",
    ours: "Recalculado",
    claimed: "Declarado",
    claim_identical: "CONSISTENTE: cada campo comparado es idéntico bit a bit",
    claim_explained: "CONSISTENTE: cada diferencia se explica por la biblioteca matemática del pipeline (pow() no redondea correctamente: score_std a 1 ulp y límites del intervalo recalculados bit a bit)",
    claim_different: "NO CONSISTENTE: diferencias sin explicar",
    rerun_failed: "EL RECÁLCULO FALLÓ",
    all_fields: "Todos los campos",
    claim_help: "Cada campo de la salida declarada se compara con el recálculo, bit a bit; evaluation_id, provenance_node_id y evaluation_timestamp (reloj y UUID del pipeline) no se comparan. Archivo:",
    chain_intact: "Cadena de hashes íntegra, recomprobada en esta página",
    chain_links: "eslabones",
    chain_broken: "Cadena de hashes ROTA",
    chain_breaks: "eslabones rotos",
    chain_help: "Cada entrada lleva el hash SHA-256 (JCS, RFC 8785) de su cuerpo, que incluye el hash de la anterior; la primera parte de un génesis fijo. La raíz es el hash de la última.",
    digest_certificate: "Certificado",
    signals_title: "Señales del ciclo de vida",
    signals_help: "Las señales (SISAS) de la última evaluación, en orden. El tablero también las entrega a la página anfitriona: eventos DOM «phase7-signal» y la función onSignal. No entran en ningún hash.",
    signal_type: "Tipo",
    stage: "Etapa",
    time: "Hora",
    detail: "Detalle",
    metrics_title: "Métricas de la ejecución",
    metrics_help: "Duración y memoria por etapa (reloj y memoria de este navegador). Informativas: NO forman parte de nada que se calcule con hash ni se certifique, y cambian de una ejecución a otra.",
    duration_ms: "Duración (ms)",
    memory: "Memoria (WASM)",
    memory_delta: "Cambio",
    outcome: "Resultado",
    total_duration: "Duración total (ms)",
    peak_memory: "Memoria máxima",
    mean_stage: "Media por etapa (ms)",
    slowest_stage: "Etapa más lenta",
    input_size: "Tamaño de la entrada",
    clusters_processed: "Clústeres procesados",
    checks_run: "Comprobaciones (fallidas)",
    batch_title: "Lote de planes",
    batch_help: "Elija o arrastre aquí varios archivos de la Fase 6: se procesan uno a uno (ejecución, certificado y verificación por un recálculo independiente), sin guardar su contenido.",
    batch_pick: "Archivos Fase 6 del lote…",
    batch_done: "procesados",
    export_csv: "Exportar summary.csv",
    csv_note: "summary.csv tiene las columnas y el formato de «phase7 batch» (RFC 4180). Las celdas de texto que empiezan por = + - @ llevan una comilla simple delante, para que una hoja de cálculo no las lea como fórmulas.",
    plan: "Plan",
    band: "Banda",
    gaps: "Brechas",
    verified_col: "Verificado",
    error_code: "Código de error",
    sort_hint: "Pulse un encabezado (o Intro sobre él) para ordenar.",
    skip_link: "Saltar al resultado",
    verdict_title: "Veredicto",
    verdict_checks: "Comprobaciones",
    verdict_certificate: "Certificado",
    verdict_claim: "p07 declarado",
    verdict_none: "no cargado",
    verdict_pending: "calculando…",
    verdict_details: "detalles",
    verdict_rejected: "ENTRADA RECHAZADA",
    verdict_failed: "FALLÓ",
    verdict_passed: "superadas",
    verified_short: "VERIFICADO",
    not_verified_short: "NO VERIFICADO",
    identical_short: "IDÉNTICO",
    explained_short: "EXPLICADO",
    different_short: "DISTINTO",
    rerun_failed_short: "RECÁLCULO FALLIDO",
    cancel: "Cancelar",
    difference: "Diferencia",
    run_options: "Opciones de la ejecución",
    strict_mode: "Modo estricto: las advertencias hacen fallar la compuerta de salida",
    evaluated_at: "Hora de evaluación (RFC 3339, opcional; se escribe en el MacroScore)",
    apply: "Aplicar",
    bad_time: "Hora no válida (RFC 3339, p. ej. 2026-01-31T12:00:00Z)",
    band_totals: "Totales por banda",
    rejected_total: "rechazados",
    previous: "Anterior",
    next: "Siguiente",
    replace: "Reemplazar la tabla",
    keep: "Conservar la tabla",
    not_certified: "Esta ejecución falló: su registro de auditoría no está certificado.",
    margin_title: "Margen de la banda",
    on_scale: "en la escala 0–3",
    not_certified_badge: "NO CERTIFICADO",
    sens_title: "¿Qué tan firme es la banda?",
    sens_note: "Análisis sobre la ejecución, no parte de ella: no certificado, fuera del registro de auditoría, sin efecto en las comprobaciones, el veredicto, el modo estricto ni ningún certificado.",
    probs_title: "Probabilidad de cada banda (modelo normal del pipeline)",
    probs_help: "El puntaje macro como normal con su score_std propagado (el modelo detrás del intervalo del 95 %); cada probabilidad en forma analítica, con erfc.",
    mc_title: "Monte Carlo con semilla",
    mc_help: "Cada extracción mueve cada peso de clúster hasta ± el rango (y los renormaliza) y cada puntaje de clúster según su score_std (normal, recortado a [0, 3]). La misma semilla da los mismos bits en cualquier plataforma: el resumen (digest) lo prueba.",
    draws_label: "Extracciones",
    seed_label: "Semilla",
    range_label: "Rango de los pesos (±)",
    mc_run: "Ejecutar Monte Carlo",
    draws: "extracciones",
    band_frequencies: "Frecuencia de cada banda",
    histogram_title: "Distribución del puntaje macro",
    run_score: "ejecución",
    tornado_title: "Uno a la vez: Δ del puntaje",
    weight_low: "peso × (1 − r)",
    weight_high: "peso × (1 + r)",
    dropped: "clúster eliminado (los demás reponderados)",
    quantiles: "Cuantiles",
    mean: "Media",
    std: "Desviación estándar",
    indices_title: "Índices de sensibilidad (varianza, Jansen)",
    factor: "Factor",
    first_order: "Primer orden",
    total_order: "Orden total",
    factor_weight: "peso",
    factor_score: "puntaje",
    oat_table: "Tabla uno a la vez",
    case: "Caso",
    result_digest: "Resumen (digest) del resultado",
    generator: "Generador",
    mc_link: "Enlace que reproduce esta ejecución de Monte Carlo",
    whatif_title: "Pesos hipotéticos (what-if)",
    whatif_help: "Al mover un peso, los otros tres se reescalan en proporción para que los cuatro sumen 1 (el núcleo los normaliza de nuevo). Puntaje, banda y brechas los recalcula el núcleo; valores exactos a la derecha.",
    whatif_reset: "Pesos publicados",
    whatif_text: "Texto compacto",
    whatif_link: "Enlace que reproduce este what-if",
    published: "publicado",
    config_digest_edited: "Resumen de la configuración editada",
    config_digest_published: "Resumen de la configuración publicada",
    margin_col: "Margen",
    p_band_col: "P(banda)",
    refusal_title: "Registro de rechazo (refusal.json)",
    refused_banner: "RECHAZADO: no se emitió MacroScore ni certificado para este plan. Su registro de rechazo dice por qué.",
    refused_at_stage: "Rechazado en",
    failed_checks: "Comprobaciones fallidas",
    input_sha256: "SHA-256 de los bytes de la entrada",
    violations: "Violaciones",
    checks_that_ran: "Comprobaciones que se ejecutaron",
    download_refusal: "Descargar refusal.json",
    download_trail_nc: "Descargar audit_trail.json (no certificado)",
    refusal_note: "El registro no avala ningún resultado: cualquiera con la entrada puede recalcularlo y obtener el mismo registro. refusal_id cubre todo menos recorded_at, que es la hora de la descarga.",
    confirm_title: "Confirmar un registro de rechazo",
    confirm_help: "Cargue un refusal.json: se confirma recalculando la Fase 7 sobre el archivo de la Fase 6 cargado arriba.",
    pick_refusal: "Registro de rechazo (refusal.json)",
    confirmed: "CONFIRMADO",
    not_confirmed: "NO CONFIRMADO",
    verdict_refusal: "Rechazo",
    refusal_file: "Registro de rechazo",
    issue_refused: "No certificado: este plan fue rechazado, así que no hay certificate.json ni macro_score.json. Su registro de rechazo y su registro de auditoría (no certificado) se descargan en el panel de rechazo.",
    distance_to: "Distancia a",
    normal_model: "(modelo normal del pipeline)",
    from: "desde",
};

/// English.
pub static EN: Text = Text {
    title: "Phase 7 audit",
    subtitle: "Bit-exact rerun of the macro aggregation (F.A.R.F.A.N), in your browser, with no server",
    language: "Language",
    print: "Print report",
    footer: "Everything is computed in this browser; no file leaves your machine.",
    load_title: "Files",
    drop_hint: "Drop the Phase 6 file here (and, if you have them, p07_output.json and certificate.json), or choose them:",
    pick_phase6: "Phase 6 file…",
    pick_claimed: "Pipeline p07_output.json…",
    pick_certificate: "certificate.json…",
    load_sample: "Use the sample",
    size_cap: "Limit: 16 MiB per file (checked before reading it).",
    phase6_file: "Phase 6",
    claimed_file: "Claimed p07",
    certificate_file: "Certificate",
    origin_sample: "bundled sample",
    origin_file: "local file",
    origin_url: "fetched",
    working: "Working…",
    macro_score: "Macro score",
    exact_value: "Exact value (f64)",
    normalized: "Normalized (score / 3)",
    interval_95: "95 % interval",
    score_std: "Standard deviation",
    evaluation_id: "Evaluation id",
    clusters_title: "Clusters",
    gap_threshold: "gap threshold",
    gap_short: "gap",
    macro_short: "macro",
    legend_score: "score",
    legend_gap: "under the gap threshold (1.65)",
    legend_interval: "95 % interval (±1.96·σ)",
    cluster: "Cluster",
    name: "Name",
    score: "Score",
    breakdown_title: "Coherence and alignment",
    coherence: "Coherence",
    alignment: "Alignment",
    strategic: "Strategic",
    operational: "Operational",
    institutional: "Institutional",
    cross_cutting: "Cross-cutting (weighted)",
    inter_cluster_variance: "Inter-cluster variance",
    vertical: "Vertical (MESO 1–2)",
    horizontal: "Horizontal (all pairs)",
    temporal: "Temporal (MESO 3–4)",
    strategic_alignment: "Strategic alignment",
    gaps_title: "Systemic gaps",
    gaps_rule: "The weakest area of each cluster scoring under 1.65 (0.55 × 3): CRITICAL < 1.0, SEVERE < 1.35, otherwise MODERATE.",
    no_gaps: "No systemic gaps.",
    area: "Area",
    severity: "Severity",
    inputs_title: "Input (validated Phase 6)",
    errors_title: "Errors",
    warnings_title: "Warnings",
    failure_class: "Failure class",
    code: "Code",
    field: "Field",
    value: "Value",
    message: "Message",
    audit_title: "Audit trail",
    checks_passed: "checks passed",
    stage_input: "Input contract",
    stage_output: "Output contract",
    stage_invariants: "Invariants",
    stage_gate: "Exit gate",
    check: "Check",
    description: "Description",
    expected: "Expected",
    actual: "Actual",
    result: "Result",
    pass: "pass",
    fail: "fail",
    warn: "warning",
    certificates_title: "Certificates",
    issue: "Issue",
    issue_help: "Download the result recomputed in this browser.",
    verify: "Verify",
    verify_help: "Load a certificate.json (above, or drop it on the files zone): it is recomputed from the Phase 6 file and compared field by field.",
    claim_title: "The pipeline's claimed p07 output",
    determinism_title: "Determinism",
    determinism_help: "Same bytes, same bits: rerun N times here; every digest must be identical. A native run of the same file prints the same digests (phase7 run: input digest, config digest, output digest) and writes the same audit root and certificate id into certificate.json: compare them.",
    digest_input: "input digest",
    digest_config: "config digest",
    digest_output: "output digest",
    digest_exact: "Exact bits",
    rerun_count: "Reruns",
    rerun: "Rerun",
    reruns_identical: "reruns identical in every digest",
    show_reruns: "Show every rerun",
    identical: "identical",
    different: "different",
    audit_trail_file: "Audit trail",
    pick_audit_trail: "audit_trail.json (optional)…",
    certificate_id: "Certificate id",
    ready_for_phase8: "Ready for Phase 8",
    yes: "yes",
    no: "no",
    audit_root: "Audit trail root",
    verified: "VERIFIED: the rerun reproduces everything the certificate claims",
    not_verified: "NOT VERIFIED: failed checks",
    input_rejected: "INPUT REJECTED: the Phase 6 file breaks the input contract, nothing can be rerun",
    vouches_for: phase7_core::verify::VOUCHES_FOR,
    does_not_vouch_for: phase7_core::verify::DOES_NOT_VOUCH_FOR,
    differing_fields: "Fields that differ",
    expected_rerun: "Expected (rerun)",
    actual_file: "In the file",
    note: "Note",
    vouches: "Vouches for",
    would_vouch: "Nothing is vouched for. A pass would vouch for",
    does_not_vouch: "Does not vouch for",
    all_checks: "Every check",
    status_equal: "identical",
    status_explained: "explained",
    status_different: "different",
    status_not_compared: "not compared",
    ours: "Ours (rerun)",
    claimed: "Claimed",
    claim_identical: "CONSISTENT: every compared field is bit-identical",
    claim_explained: "CONSISTENT: every difference is explained by the pipeline's math library (pow() is not correctly rounded: score_std 1 ulp away and interval bounds recomputed bit for bit)",
    claim_different: "NOT CONSISTENT: unexplained differences",
    rerun_failed: "RERUN FAILED",
    all_fields: "Every field",
    claim_help: "Every field of the claimed output is compared with the rerun, bit for bit; evaluation_id, provenance_node_id and evaluation_timestamp (the pipeline's clock and UUIDs) are not compared. File:",
    chain_intact: "Hash chain intact, re-checked in this page",
    chain_links: "links",
    chain_broken: "Hash chain BROKEN",
    chain_breaks: "broken links",
    chain_help: "Each entry carries the SHA-256 (JCS, RFC 8785) hash of its body, which includes the previous entry's hash; the first starts from a fixed genesis. The root is the last entry's hash.",
    digest_certificate: "Certificate",
    signals_title: "Lifecycle signals",
    signals_help: "The (SISAS) signals of the latest evaluation, in order. The dashboard also hands them to the host page: «phase7-signal» DOM events and the onSignal function. They enter no hash.",
    signal_type: "Type",
    stage: "Stage",
    time: "Time",
    detail: "Detail",
    metrics_title: "Run metrics",
    metrics_help: "Duration and memory per stage (this browser's clock and memory). Informational: NOT part of anything hashed or certified, and they change from run to run.",
    duration_ms: "Duration (ms)",
    memory: "Memory (WASM)",
    memory_delta: "Change",
    outcome: "Outcome",
    total_duration: "Total duration (ms)",
    peak_memory: "Peak memory",
    mean_stage: "Mean per stage (ms)",
    slowest_stage: "Slowest stage",
    input_size: "Input size",
    clusters_processed: "Clusters processed",
    checks_run: "Checks (failed)",
    batch_title: "Batch of plans",
    batch_help: "Choose or drop several Phase 6 files here: they are processed one at a time (run, certificate, and verification by an independent rerun), without keeping their content.",
    batch_pick: "Batch Phase 6 files…",
    batch_done: "processed",
    export_csv: "Export summary.csv",
    csv_note: "summary.csv has the columns and format of «phase7 batch» (RFC 4180). Text cells starting with = + - @ get a leading single quote, so that a spreadsheet does not read them as formulas.",
    plan: "Plan",
    band: "Band",
    gaps: "Gaps",
    verified_col: "Verified",
    error_code: "Error code",
    sort_hint: "Click (or press Enter on) a header to sort.",
    skip_link: "Skip to the result",
    verdict_title: "Verdict",
    verdict_checks: "Checks",
    verdict_certificate: "Certificate",
    verdict_claim: "Claimed p07",
    verdict_none: "not loaded",
    verdict_pending: "working…",
    verdict_details: "details",
    verdict_rejected: "INPUT REJECTED",
    verdict_failed: "FAILED",
    verdict_passed: "passed",
    verified_short: "VERIFIED",
    not_verified_short: "NOT VERIFIED",
    identical_short: "IDENTICAL",
    explained_short: "EXPLAINED",
    different_short: "DIFFERENT",
    rerun_failed_short: "RERUN FAILED",
    cancel: "Cancel",
    difference: "Difference",
    run_options: "Run options",
    strict_mode: "Strict mode: warnings fail the exit gate",
    evaluated_at: "Evaluation time (RFC 3339, optional; written into the MacroScore)",
    apply: "Apply",
    bad_time: "Not a valid time (RFC 3339, e.g. 2026-01-31T12:00:00Z)",
    band_totals: "Totals by band",
    rejected_total: "rejected",
    previous: "Previous",
    next: "Next",
    replace: "Replace the table",
    keep: "Keep the table",
    not_certified: "This run failed: its audit trail is not certified.",
    margin_title: "Band margin",
    on_scale: "on the 0–3 scale",
    not_certified_badge: "NOT CERTIFIED",
    sens_title: "How firm is the band?",
    sens_note: "Analysis about the run, not part of it: not certified, not in the audit trail, no effect on the checks, the verdict, strict mode or any certificate.",
    probs_title: "Band probabilities (the pipeline's normal model)",
    probs_help: "The macro score as normal with its propagated score_std (the model behind the 95 % interval); each probability analytically, with erfc.",
    mc_title: "Seeded Monte Carlo",
    mc_help: "Each draw moves every cluster weight by up to ± the range (renormalised) and every cluster score by its score_std (normal, clipped to [0, 3]). The same seed gives the same bits on every platform: the digest proves it.",
    draws_label: "Draws",
    seed_label: "Seed",
    range_label: "Weight range (±)",
    mc_run: "Run Monte Carlo",
    draws: "draws",
    band_frequencies: "Band frequencies",
    histogram_title: "Distribution of the macro score",
    run_score: "run",
    tornado_title: "One at a time: Δ score",
    weight_low: "weight × (1 − r)",
    weight_high: "weight × (1 + r)",
    dropped: "cluster dropped (others reweighted)",
    quantiles: "Quantiles",
    mean: "Mean",
    std: "Standard deviation",
    indices_title: "Sensitivity indices (variance-based, Jansen)",
    factor: "Factor",
    first_order: "First order",
    total_order: "Total order",
    factor_weight: "weight",
    factor_score: "score",
    oat_table: "One-at-a-time table",
    case: "Case",
    result_digest: "Digest of the result",
    generator: "Generator",
    mc_link: "Link that reproduces this Monte Carlo run",
    whatif_title: "What-if weights",
    whatif_help: "Moving one weight rescales the other three in proportion so that the four add up to 1 (the core normalises them again). The score, band and gaps are recomputed by the core; exact values on the right.",
    whatif_reset: "Published weights",
    whatif_text: "Compact text",
    whatif_link: "Link that reproduces this what-if",
    published: "published",
    config_digest_edited: "Edited configuration digest",
    config_digest_published: "Published configuration digest",
    margin_col: "Margin",
    p_band_col: "P(band)",
    refusal_title: "Refusal record (refusal.json)",
    refused_banner: "REFUSED: no MacroScore or certificate was issued for this plan. Its refusal record says why.",
    refused_at_stage: "Refused at",
    failed_checks: "Failed checks",
    input_sha256: "SHA-256 of the input's bytes",
    violations: "Violations",
    checks_that_ran: "Checks that ran",
    download_refusal: "Download refusal.json",
    download_trail_nc: "Download audit_trail.json (not certified)",
    refusal_note: "The record vouches for no result: anyone holding the input can rerun it and obtain the same record. refusal_id covers everything but recorded_at, which is the time of the download.",
    confirm_title: "Confirm a refusal record",
    confirm_help: "Load a refusal.json: it is confirmed by rerunning Phase 7 on the Phase 6 file loaded above.",
    pick_refusal: "Refusal record (refusal.json)",
    confirmed: "CONFIRMED",
    not_confirmed: "NOT CONFIRMED",
    verdict_refusal: "Refusal",
    refusal_file: "Refusal record",
    issue_refused: "Not certified: this plan was refused, so there is no certificate.json or macro_score.json. Its refusal record and its (not certified) audit trail are downloaded in the refusal panel.",
    distance_to: "Distance to",
    normal_model: "(the pipeline's normal model)",
    from: "from",
};

/// `n` and the noun in the right number: `1 error`, `2 errores`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `n errores` / `n errors`, with the right plural.
pub fn errors_n(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Es => counted(n, "error", "errores"),
        Lang::En => counted(n, "error", "errors"),
    }
}

/// `n advertencias` / `n warnings`, with the right plural.
pub fn warnings_n(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Es => counted(n, "advertencia", "advertencias"),
        Lang::En => counted(n, "warning", "warnings"),
    }
}

/// The counts of a claim check: `60 idénticos · 1 explicado · 0 distintos · 3 no comparados`.
pub fn claim_counts(
    lang: Lang,
    equal: usize,
    explained: usize,
    different: usize,
    not_compared: usize,
) -> String {
    let parts = match lang {
        Lang::Es => [
            counted(equal, "idéntico", "idénticos"),
            counted(explained, "explicado", "explicados"),
            counted(different, "distinto", "distintos"),
            counted(not_compared, "no comparado", "no comparados"),
        ],
        Lang::En => [
            format!("{equal} identical"),
            format!("{explained} explained"),
            format!("{different} different"),
            format!("{not_compared} not compared"),
        ],
    };
    parts.join(" · ")
}

/// `sí`/`no`, `yes`/`no`.
pub fn yes_no(lang: Lang, b: bool) -> &'static str {
    let t = text(lang);
    if b {
        t.yes
    } else {
        t.no
    }
}

/// The human name of a policy area (`PA05` → `Víctimas y construcción de paz`).
pub fn area_label(lang: Lang, id: &str) -> Option<&'static str> {
    const NAMES: [(&str, &str, &str); 10] = [
        (
            "PA01",
            "Mujeres e igualdad de género",
            "Women and gender equality",
        ),
        (
            "PA02",
            "Prevención de la violencia y el conflicto armado",
            "Prevention of violence and armed conflict",
        ),
        (
            "PA03",
            "Ambiente y cambio climático",
            "Environment and climate change",
        ),
        (
            "PA04",
            "Derechos económicos, sociales y culturales",
            "Economic, social and cultural rights",
        ),
        (
            "PA05",
            "Víctimas y construcción de paz",
            "Victims and peacebuilding",
        ),
        (
            "PA06",
            "Niñez, adolescencia y juventud",
            "Children, adolescents and youth",
        ),
        ("PA07", "Tierras y territorios", "Land and territories"),
        (
            "PA08",
            "Líderes sociales y defensores de derechos humanos",
            "Social leaders and human rights defenders",
        ),
        (
            "PA09",
            "Personas privadas de la libertad",
            "People deprived of liberty",
        ),
        ("PA10", "Migración", "Migration"),
    ];
    NAMES
        .iter()
        .find(|(a, _, _)| *a == id)
        .map(|(_, es, en)| match lang {
            Lang::Es => *es,
            Lang::En => *en,
        })
}

/// The human name of a cluster.
pub fn cluster_label(lang: Lang, id: phase7_core::model::ClusterId) -> &'static str {
    use phase7_core::model::ClusterId;
    match lang {
        Lang::En => id.name(),
        Lang::Es => match id {
            ClusterId::Meso1 => "Marco legal e institucional",
            ClusterId::Meso2 => "Capacidad de implementación y operación",
            ClusterId::Meso3 => "Sistemas de seguimiento y evaluación",
            ClusterId::Meso4 => "Planeación estratégica y sostenibilidad",
        },
    }
}

/// A gap severity (`CRITICAL`, `SEVERE`, `MODERATE`) in words.
pub fn severity(lang: Lang, code: &str) -> String {
    let es = match code {
        "CRITICAL" => "crítica",
        "SEVERE" => "grave",
        "MODERATE" => "moderada",
        other => return other.to_string(),
    };
    match lang {
        Lang::Es => es.to_string(),
        Lang::En => code.to_ascii_lowercase(),
    }
}

/// A metrics outcome (`completed`, `failed`, `interrupted`) in words.
pub fn outcome_word(lang: Lang, code: &str) -> String {
    match (lang, code) {
        (Lang::Es, "completed") => "completada".into(),
        (Lang::Es, "failed") => "fallida".into(),
        (Lang::Es, "interrupted") => "interrumpida".into(),
        _ => code.to_string(),
    }
}

/// The description of a check, by its id (the core's English text is the fallback and
/// the English wording). `strict`: the run's strict mode (GATE-4 says more then).
pub fn check_description(lang: Lang, id: &str, strict: bool, english: &str) -> String {
    if lang == Lang::En {
        return english.to_string();
    }
    let es = match id {
        "PRE-7.1" => "exactamente 4 objetos de clúster",
        "PRE-7.2" => "el conjunto de id. de clúster es exactamente CLUSTER_MESO_1..4",
        "PRE-7.3" => "cada puntaje es finito y está en [0.0, 3.0] (orden de entrada)",
        "PRE-7.4" => "procedencia de la Fase 6 (provenance_node_id) presente en cada clúster",
        "PRE-7.5" => "ningún id. de clúster repetido (orden de entrada)",
        "PRE-7.6" => "coherencia finita en [0, 1] y varianza finita >= 0 (orden de entrada)",
        "HERMETICITY" => "las áreas de cada clúster son su composición fija (como conjunto)",
        "JSON-SYNTAX" => "el archivo es JSON dentro del límite de tamaño: UTF-8, sin error de sintaxis, anidado a lo sumo 128 niveles (INPUT_TOO_LARGE, MALFORMED_JSON)",
        "JSON-DUPLICATE-KEYS" => "ningún objeto repite una clave, a ninguna profundidad, comparadas tras deshacer los escapes (DUPLICATE_KEY)",
        "JSON-FINITE" => "ningún token NaN, Infinity o -Infinity ni número que desborde f64 en todo el archivo (NON_FINITE)",
        "FIELD-TYPES" => "la lista de clústeres (sola o bajo cluster_scores) contiene objetos con sus campos requeridos presentes y cada campo de su tipo (MISSING_FIELD, WRONG_TYPE)",
        "WEAKEST-AREA" => "weakest_area, si se da, es una de las áreas fijas de su clúster (WEAKEST_AREA_INVALID)",
        "VALUE-BOUNDS" => "score_std >= 0.0 y penalty_applied en [0.0, 1.0] (VALUE_OUT_OF_BOUNDS)",
        "DUPLICATE-AREAS" => "ningún área aparece dos veces en las áreas de un clúster (DUPLICATE_AREA, una advertencia)",
        "POST-7.1" => "existe un MacroScore",
        "POST-7.2" => "puntaje en [0.0, 3.0]",
        "POST-7.3" => "quality_level es una de las cuatro bandas",
        "POST-7.4" => "coherencia (transversal y desglose) en [0.0, 1.0]",
        "POST-7.5" => "alineación (estratégica y desglose) en [0.0, 1.0]",
        "POST-7.6" => "los id. de clúster que contribuyen son los de la entrada (orden de entrada)",
        "POST-7.7" => "cada brecha sistémica es una de PA01..PA10",
        "INV-7.1" => "los pesos de los clústeres suman 1.0 (|suma - 1| <= 1e-6)",
        "INV-7.2" => "la configuración es la publicada (resumen) y los umbrales están ordenados",
        "INV-7.3" => "el dominio del puntaje es [0.0, 3.0]",
        "INV-7.4" => "los pesos de coherencia suman 1.0 (|suma - 1| <= 1e-6)",
        "INV-7.5" => "determinismo: una segunda evaluación independiente da los mismos bits de salida",
        "GATE-1" => "el contrato de salida se cumple (POST-7.1..7.7)",
        "GATE-2" => "quality_level corresponde a score_normalized con los umbrales publicados",
        "GATE-3" => "coherencia y alineación (con desgloses) dentro de [0.0, 1.0]",
        "GATE-4" if strict => "procedencia: cada clúster de la entrada está en la salida; modo estricto: ninguna advertencia de entrada",
        "GATE-4" => "procedencia: cada clúster de la entrada está en la salida",
        "GATE-5" => "certificado Fase 7 -> 8: resúmenes de entrada, configuración y salida vinculados",
        _ => english,
    };
    es.to_string()
}

/// `line L, column C` of a MALFORMED_JSON message (the core gives them only in its
/// sentence), as numbers.
fn line_column(message: &str) -> Option<(u64, u64)> {
    let rest = &message[message.find("line ")? + 5..];
    let (line, rest) = rest.split_once(", column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The message of a coded error or warning, rendered from its code, field and value
/// (the core's English sentence in English).
pub fn diagnostic(lang: Lang, d: &phase7_core::error::Diagnostic) -> String {
    coded_message(
        lang,
        d.code,
        d.cluster.as_deref(),
        d.field.as_deref(),
        d.value.as_deref(),
        &d.message,
    )
}

/// [`diagnostic`] from its parts (a refusal record's violations carry them as strings):
/// the Spanish sentence from the code, cluster, field and value, or `message` (the core's
/// English) in English and for a code with no Spanish rendering.
pub fn coded_message(
    lang: Lang,
    code: &str,
    cluster: Option<&str>,
    field: Option<&str>,
    value: Option<&str>,
    message: &str,
) -> String {
    if lang == Lang::En {
        return message.to_string();
    }
    let at = match (cluster, field) {
        (Some(c), Some(f)) => format!("{c}, {f}: "),
        (Some(c), None) => format!("{c}: "),
        (None, Some(f)) => format!("{f}: "),
        (None, None) => String::new(),
    };
    let v = value.unwrap_or_default();
    let body = match code {
        "INPUT_TOO_LARGE" => format!("la entrada tiene {v} bytes, más que el límite de 16 MiB"),
        "MALFORMED_JSON" => match line_column(message) {
            Some((l, c)) => format!("JSON mal formado en la línea {l}, columna {c}"),
            None => "JSON mal formado".into(),
        },
        "DUPLICATE_KEY" => format!("clave repetida {}", phase7_core::quote::string(v)),
        "NON_FINITE" => format!("el valor {v} no es un número finito"),
        "WRONG_TYPE" => format!("tipo de valor equivocado: {v}"),
        "MISSING_FIELD" => "falta un campo obligatorio".into(),
        "MISSING_COHERENCE" => "falta la coherencia (debe ser un número en [0.0, 1.0])".into(),
        "MISSING_VARIANCE" => "falta la varianza (debe ser un número finito >= 0)".into(),
        "INVALID_CLUSTER_COUNT" => format!("se esperaban exactamente 4 clústeres; hay {v}"),
        "CLUSTER_COVERAGE_MISMATCH" => format!("los id. de clúster deben ser exactamente CLUSTER_MESO_1..4; inesperados: [{v}]"),
        "DUPLICATE_CLUSTER" => format!("el clúster {v} aparece más de una vez"),
        "SCORE_OUT_OF_BOUNDS" => format!("el puntaje {v} está fuera de [0.0, 3.0]"),
        "COHERENCE_OUT_OF_BOUNDS" => format!("la coherencia {v} está fuera de [0.0, 1.0]"),
        "VALUE_OUT_OF_BOUNDS" => format!("el valor {v} está fuera de su dominio"),
        "CLUSTER_COMPOSITION_MISMATCH" => format!("las áreas no son la composición del clúster: {}", v.replace("missing", "faltan").replace("unexpected", "inesperadas")),
        "WEAKEST_AREA_INVALID" => format!("weakest_area {} no es un área del clúster", phase7_core::quote::string(v)),
        "MISSING_PROVENANCE" => "falta provenance_node_id o está vacío (no se puede rastrear la procedencia de la Fase 6)".into(),
        "DUPLICATE_AREA" => format!("el área {v} aparece más de una vez"),
        _ => return message.to_string(),
    };
    format!("{at}{body}")
}

/// `n violaciones` / `n violations`, with the right plural.
pub fn violations_n(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Es => counted(n, "violación", "violaciones"),
        Lang::En => counted(n, "violation", "violations"),
    }
}

/// The `BAND_MARGIN` warning in `lang`, from its parameters (the core's sentence in
/// English).
pub fn band_margin_warning(lang: Lang, w: &phase7_core::sensitivity::BandMarginWarning) -> String {
    use phase7_core::read::json::number_text;
    if lang == Lang::En {
        return w.to_string();
    }
    format!(
        "banda {} decidida a {} ulp(s) {} del umbral de {} {} (score_normalized {}): una diferencia en los últimos bits de la aritmética la cambiaría",
        w.band.as_str(),
        w.distance_ulps.unsigned_abs(),
        if w.distance_ulps >= 0 { "por encima" } else { "por debajo" },
        w.threshold_band.as_str(),
        number_text(w.threshold),
        number_text(w.score_normalized)
    )
}

/// The what-if banner: "not the published configuration — not certifiable" (the core's
/// wording), or that these are the run's numbers.
pub fn what_if_banner(lang: Lang, published: bool) -> &'static str {
    use phase7_core::sensitivity::what_if::{NOT_PUBLISHED_BANNER, PUBLISHED_BANNER};
    match (lang, published) {
        (Lang::En, false) => NOT_PUBLISHED_BANNER,
        (Lang::En, true) => PUBLISHED_BANNER,
        (Lang::Es, false) => "no es la configuración publicada — no certificable",
        (Lang::Es, true) => "la configuración publicada: son los números de la ejecución (un what-if nunca se certifica)",
    }
}

/// What a finished Monte Carlo run did and how long it took in the page.
pub fn mc_done(lang: Lang, draws: u64, seed: u64, weight_range: f64, ms: f64) -> String {
    let evaluations = draws.saturating_mul(10);
    let weight_range = phase7_core::decimal::display(weight_range);
    let ms = phase7_core::decimal::fixed(ms, 0);
    match lang {
        Lang::Es => format!("{draws} extracciones ({evaluations} evaluaciones del modelo), semilla {seed}, rango de pesos ±{weight_range}: {ms} ms en esta página."),
        Lang::En => format!("{draws} draws ({evaluations} model evaluations), seed {seed}, weight range ±{weight_range}: {ms} ms in this page."),
    }
}

/// The accepted ranges of the Monte Carlo parameters.
pub fn mc_limits(lang: Lang, max_draws: u64) -> String {
    match lang {
        Lang::Es => format!("Extracciones de 1 a {max_draws}; semilla de 0 a 2^53 − 1; rango 0 ≤ r < 1. Por omisión 10000, 1, 0.25."),
        Lang::En => format!("Draws 1 to {max_draws}; seed 0 to 2^53 − 1; range 0 ≤ r < 1. Defaults 10000, 1, 0.25."),
    }
}

/// A sensitivity parameter or what-if error in `lang`: `value` is the value as typed for
/// a parameter (`draws`, `seed`, `weight_range`), or the core's English sentence
/// otherwise (`field` `parameters`, or a what-if).
pub fn sensitivity_error(lang: Lang, code: &str, field: &str, value: &str) -> String {
    let param = field != "parameters";
    match (lang, code) {
        (Lang::Es, "DRAWS_OUT_OF_RANGE") if param => {
            format!("draws = {value}: debe ser un entero entre 1 y 1000000")
        }
        (Lang::En, "DRAWS_OUT_OF_RANGE") if param => {
            format!("draws = {value}: must be an integer between 1 and 1000000")
        }
        (Lang::Es, "SEED_OUT_OF_RANGE") if param => format!(
            "seed = {value}: debe ser un entero entre 0 y 9007199254740991 (2^53 − 1, para que un navegador y un enlace la lleven exacta)"
        ),
        (Lang::En, "SEED_OUT_OF_RANGE") if param => format!(
            "seed = {value}: must be an integer between 0 and 9007199254740991 (2^53 − 1, so that a browser and a URL carry it exactly)"
        ),
        (Lang::Es, "WEIGHT_RANGE_INVALID") if param => {
            format!("weight_range = {value}: debe ser un número con 0 ≤ r < 1")
        }
        (Lang::En, "WEIGHT_RANGE_INVALID") if param => {
            format!("weight_range = {value}: must be a finite number with 0 ≤ r < 1")
        }
        (Lang::Es, c) if c.starts_with("WHAT_IF") => {
            format!("pesos hipotéticos no válidos: {value}")
        }
        _ => value.to_string(),
    }
}

/// A note or name from the core's verification and claim reports, in Spanish where it is
/// one of the known phrases; `None` when only the core's English exists (the page then
/// marks it `lang="en"`).
pub fn core_phrase(lang: Lang, english: &str) -> Option<String> {
    if lang == Lang::En || english.is_empty() {
        return Some(english.to_string());
    }
    if let Some(n) = english.strip_suffix(" ulp apart") {
        return Some(format!("{n} ulp de distancia"));
    }
    if let Some(rest) = english.strip_prefix("Phase 6 -> 7: ") {
        return core_phrase(lang, rest).map(|r| format!("Fase 6 -> 7: {r}"));
    }
    if let Some(rest) = english.strip_prefix("input cluster ") {
        return Some(format!("clúster de entrada {rest}"));
    }
    if let Some(key) = english.strip_suffix(" reproduced by the rerun") {
        if !key.contains(' ') {
            return Some(format!("{key} reproducido por el recálculo"));
        }
    }
    let es = match english {
        "unexpected field" => "campo inesperado",
        "the id is not the digest of the certificate's body: the body or the id was changed" => "el id. no es el resumen del cuerpo del certificado: se cambió el cuerpo o el id.",
        "certificate parses as JSON" => "el certificado es JSON válido",
        "Phase 6 input accepted and Phase 7 rerun passes the exit gate" => "entrada de la Fase 6 aceptada y el recálculo de la Fase 7 supera la compuerta de salida",
        "Phase 6 input accepted by the input contract" => "entrada de la Fase 6 aceptada por el contrato de entrada",
        "Phase 7 rerun passes the exit gate" => "el recálculo de la Fase 7 supera la compuerta de salida",
        "certificates reissued from the rerun" => "certificados reemitidos desde el recálculo",
        "certificate id is the digest of its body" => "el id. del certificado es el resumen de su cuerpo",
        "Phase 6 -> 7 certificate id is the digest of its body" => "el id. del certificado Fase 6 -> 7 es el resumen de su cuerpo",
        "Phase 7 -> 8 certificate names the embedded Phase 6 -> 7 certificate" => "el certificado Fase 7 -> 8 nombra el certificado Fase 6 -> 7 que incluye",
        "certificate format" | "format" => "formato del certificado",
        "certificate kind" | "kind" => "tipo de certificado",
        "certificate id reproduced by the rerun" => "id. del certificado reproducido por el recálculo",
        "Phase 6 -> 7 certificate id reproduced by the rerun" => "id. del certificado Fase 6 -> 7 reproducido por el recálculo",
        "issued_at recorded by the issuer" => "issued_at declarado por el emisor",
        "evaluation_timestamp recorded by the issuer" => "evaluation_timestamp declarado por el emisor",
        "ready for Phase 8" => "listo para la Fase 8",
        "strict mode" => "modo estricto",
        "pipeline version" => "versión del pipeline",
        "configuration version" => "versión de la configuración",
        "input digest" => "resumen de entrada",
        "configuration digest" => "resumen de configuración",
        "output digest (MacroScore)" => "resumen de salida (MacroScore)",
        "audit trail root" => "raíz del registro de auditoría",
        "Phase 6 -> 7 certificate id" => "id. del certificado Fase 6 -> 7",
        "exit gate result (GATE-1..5)" => "resultado de la compuerta de salida (GATE-1..5)",
        "audit trail format, genesis and length" => "formato, génesis y longitud del registro de auditoría",
        "MacroScore headline fields" => "campos principales del MacroScore",
        "accepted" => "aceptada",
        "input_shape" => "forma de la entrada",
        "negative zeros in the input" => "ceros negativos en la entrada",
        "envelope metadata digest" => "resumen de los metadatos del sobre",
        "input contract (PRE-7.x, HERMETICITY)" => "contrato de entrada (PRE-7.x, HERMETICITY)",
        "warnings" => "advertencias",
        "missing field" => "campo ausente",
        "rerun in strict mode" => "recalculado en modo estricto",
        "the input is rejected, so nothing can be rerun or verified" => "la entrada se rechaza: no se puede recalcular ni verificar nada",
        "a duplicated key makes the claim ambiguous" => "una clave repetida hace ambigua la salida declarada",
        "not compared: the pipeline's clock" | "not compared (the pipeline's clock)" => "no comparado: reloj del pipeline",
        "refusal parses as JSON" => "el registro de rechazo es JSON válido",
        "a refusal record (format and kind)" => "un registro de rechazo (formato y tipo)",
        "refusal id is the digest of its body" => "el id. del rechazo es el resumen de su cuerpo",
        "the checks are hash-chained" => "las comprobaciones están encadenadas por hash",
        "recorded options are readable" => "las opciones registradas se pueden leer",
        "a rerun refuses the input" => "un recálculo rechaza la entrada",
        "the refusal reissued from the rerun" => "el rechazo reemitido desde el recálculo",
        "recorded_at recorded by the refuser" => "recorded_at declarado por quien rechazó",
        "refusal fields" => "campos del registro de rechazo",
        "the rerun uses the defaults instead" => "el recálculo usa los valores por omisión",
        "not a refusal record: a certificate is verified with --certificate" => "no es un registro de rechazo: un certificado se verifica como certificado",
        "the record refuses an input that a rerun accepts and certifies" => "el registro rechaza una entrada que un recálculo acepta y certifica",
        "the rerun could not be carried out" => "no se pudo hacer el recálculo",
        "the chain link does not hold: an entry was changed, removed, inserted or reordered" => "el enlace de la cadena no se sostiene: se cambió, quitó, insertó o reordenó una entrada",
        "the refuser's clock: not reproducible, so not compared (not covered by the id)" => "el reloj de quien rechazó: no reproducible, así que no se compara (el id. no lo cubre)",
        "an unreadable file cannot be checked: treated as tampered" => "un archivo ilegible no se puede comprobar: se trata como alterado",
        _ if english.starts_with("explained by the pipeline's math library") => "explicado por la biblioteca matemática del pipeline: su pow() da score_std a 1 ulp del correcto y ambos límites del intervalo, recalculados desde él, son idénticos bit a bit",
        _ if english.starts_with("not compared") => "no comparado (reloj o UUID del pipeline)",
        _ => return None,
    };
    Some(es.to_string())
}

/// What kind of file something is, as a noun phrase.
pub fn kind_name(lang: Lang, kind: crate::documents::DocKind) -> &'static str {
    use crate::documents::DocKind;
    match (lang, kind) {
        (Lang::Es, DocKind::Phase6) => "un archivo de la Fase 6",
        (Lang::Es, DocKind::Claimed) => "una salida p07 (MacroScore)",
        (Lang::Es, DocKind::Certificate) => "un certificado",
        (Lang::Es, DocKind::AuditTrail) => "un registro de auditoría",
        (Lang::Es, DocKind::Refusal) => "un registro de rechazo",
        (Lang::En, DocKind::Phase6) => "a Phase 6 file",
        (Lang::En, DocKind::Claimed) => "a p07 output (MacroScore)",
        (Lang::En, DocKind::Certificate) => "a certificate",
        (Lang::En, DocKind::AuditTrail) => "an audit trail",
        (Lang::En, DocKind::Refusal) => "a refusal record",
    }
}

/// The message of a file given to the wrong picker: "this is a certificate, not a Phase 6
/// file".
pub fn wrong_kind(
    lang: Lang,
    got: crate::documents::DocKind,
    wanted: crate::documents::DocKind,
) -> String {
    match lang {
        Lang::Es => format!(
            "este archivo es {}, no {}: no se cargó",
            kind_name(lang, got),
            kind_name(lang, wanted)
        ),
        Lang::En => format!(
            "this is {}, not {}: not loaded",
            kind_name(lang, got),
            kind_name(lang, wanted)
        ),
    }
}

/// The headline of a certificate issued for another Phase 6 file.
pub fn other_input(lang: Lang, certified: &str, this_file: &str) -> String {
    match lang {
        Lang::Es => format!("Este certificado es de OTRA entrada: certifica el resumen de entrada {certified}, pero el de este archivo de la Fase 6 es {this_file}."),
        Lang::En => format!("This certificate is for ANOTHER input: it certifies input digest {certified}, but this Phase 6 file's is {this_file}."),
    }
}

/// The plain sentence for a 95 % interval that crosses band thresholds: `bands` are the
/// bands the interval reaches, lowest first, `thresholds` the bounds it crosses.
pub fn interval_crosses(
    lang: Lang,
    lo: &str,
    hi: &str,
    bands: &[&str],
    thresholds: &[String],
) -> String {
    let list = |xs: &[&str], last: &str| match xs {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., end] => format!("{} {last} {end}", init.join(", ")),
    };
    let th: Vec<&str> = thresholds.iter().map(String::as_str).collect();
    match lang {
        Lang::Es => format!(
            "El intervalo del 95 % [{lo}, {hi}] cruza {} {}: con esta incertidumbre, la banda podría ser {}.",
            if th.len() == 1 { "el umbral" } else { "los umbrales" },
            list(&th, "y"),
            list(bands, "o")
        ),
        Lang::En => format!(
            "The 95 % interval [{lo}, {hi}] crosses the {} {}: with this uncertainty the band could be {}.",
            if th.len() == 1 { "threshold" } else { "thresholds" },
            list(&th, "and"),
            list(bands, "or")
        ),
    }
}

/// `no answer from <url> within N s`.
pub fn fetch_timeout(lang: Lang, url: &str, ms: u32) -> String {
    let secs = phase7_core::decimal::display(f64::from(ms) / 1000.0);
    match lang {
        Lang::Es => format!("{url} no respondió en {secs} s; descarga cancelada"),
        Lang::En => format!("no answer from {url} within {secs} s; download cancelled"),
    }
}

/// A failed fetch, naming the URL.
pub fn fetch_failed(lang: Lang, url: &str, why: &str) -> String {
    match lang {
        Lang::Es => format!("no se pudo descargar {url}: {why}"),
        Lang::En => format!("could not download {url}: {why}"),
    }
}

/// A fetch cancelled by the user.
pub fn fetch_cancelled(lang: Lang, url: &str) -> String {
    match lang {
        Lang::Es => format!("descarga de {url} cancelada"),
        Lang::En => format!("download of {url} cancelled"),
    }
}

/// A URL the dashboard does not fetch.
pub fn fetch_refused(lang: Lang, url: &str, why: &str) -> String {
    match lang {
        Lang::Es => format!("no se descarga {url}: {why}"),
        Lang::En => format!("{url} is not fetched: {why}"),
    }
}

/// Warning before a new batch replaces the table.
pub fn batch_replace(lang: Lang, rows: usize, files: usize) -> String {
    match lang {
        Lang::Es => format!("Un lote nuevo ({}) reemplaza la tabla actual ({}). Exporte antes summary.csv si lo necesita.", counted(files, "archivo", "archivos"), counted(rows, "fila", "filas")),
        Lang::En => format!("A new batch ({}) replaces the current table ({}). Export summary.csv first if you need it.", counted(files, "file", "files"), counted(rows, "row", "rows")),
    }
}

/// `Página 2 de 5 (filas 101–200 de 450)`.
pub fn page_of(
    lang: Lang,
    page: usize,
    pages: usize,
    from: usize,
    to: usize,
    total: usize,
) -> String {
    match lang {
        Lang::Es => format!("Página {page} de {pages} (filas {from}–{to} de {total})"),
        Lang::En => format!("Page {page} of {pages} (rows {from}–{to} of {total})"),
    }
}

/// The strings of `lang`.
pub fn text(lang: Lang) -> &'static Text {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_parse() {
        assert_eq!(Lang::parse("es"), Some(Lang::Es));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("es-CO"), Some(Lang::Es));
        assert_eq!(Lang::parse("en_US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::default(), Lang::Es);
    }

    #[test]
    fn every_string_is_present_in_both_languages() {
        // The Debug form lists every field; no value may be empty.
        for t in [&ES, &EN] {
            let dump = format!("{t:?}");
            assert!(!dump.contains(": \"\""), "empty string in {dump}");
        }
        assert_ne!(ES.title, EN.title);
    }

    #[test]
    fn plurals_and_counts() {
        assert_eq!(errors_n(Lang::Es, 1), "1 error");
        assert_eq!(errors_n(Lang::Es, 2), "2 errores");
        assert_eq!(errors_n(Lang::En, 1), "1 error");
        assert_eq!(warnings_n(Lang::En, 3), "3 warnings");
        assert_eq!(
            claim_counts(Lang::Es, 60, 1, 21, 3),
            "60 idénticos · 1 explicado · 21 distintos · 3 no comparados"
        );
    }

    #[test]
    fn every_area_and_check_has_a_spanish_name() {
        for (id, _) in phase7_core::model::POLICY_AREAS {
            assert!(area_label(Lang::Es, id).is_some(), "{id}");
            assert!(area_label(Lang::En, id).is_some(), "{id}");
        }
        let ev = crate::state::Evaluation::compute(crate::state::Loaded::sample());
        for c in &ev.outcome.checks {
            let es = check_description(Lang::Es, &c.id, false, &c.description);
            assert_ne!(es, c.description, "{} has a Spanish description", c.id);
            assert_eq!(
                check_description(Lang::En, &c.id, false, &c.description),
                c.description
            );
        }
        assert_eq!(severity(Lang::Es, "CRITICAL"), "crítica");
        assert_eq!(outcome_word(Lang::Es, "completed"), "completada");
    }

    #[test]
    fn malformed_json_keeps_line_and_column() {
        let ev = crate::state::Evaluation::compute(crate::state::Loaded {
            bytes: std::sync::Arc::from(&b"[{"[..]),
            ..crate::state::Loaded::sample()
        });
        let d = &ev.outcome.errors[0];
        assert_eq!(d.code, "MALFORMED_JSON");
        let es = diagnostic(Lang::Es, d);
        assert!(
            es.starts_with("JSON mal formado en la línea 1, columna"),
            "{es}"
        );
    }

    #[test]
    fn verification_names_in_spanish() {
        assert_eq!(
            core_phrase(Lang::Es, "Phase 6 -> 7: input cluster 2 (CLUSTER_MESO_3)").as_deref(),
            Some("Fase 6 -> 7: clúster de entrada 2 (CLUSTER_MESO_3)")
        );
        assert_eq!(
            core_phrase(Lang::Es, "3 ulp apart").as_deref(),
            Some("3 ulp de distancia")
        );
        assert_eq!(core_phrase(Lang::Es, "something new"), None);
        assert_eq!(
            core_phrase(Lang::En, "something new").as_deref(),
            Some("something new")
        );
    }

    #[test]
    fn interval_sentences() {
        let s = interval_crosses(
            Lang::En,
            "1.5",
            "1.9",
            &["INSUFICIENTE", "ACEPTABLE"],
            &["1.65".into()],
        );
        assert_eq!(s, "The 95 % interval [1.5, 1.9] crosses the threshold 1.65: with this uncertainty the band could be INSUFICIENTE or ACEPTABLE.");
        let s = interval_crosses(
            Lang::Es,
            "1",
            "2.6",
            &["INSUFICIENTE", "ACEPTABLE", "BUENO", "EXCELENTE"],
            &["1.65".into(), "2.1".into(), "2.55".into()],
        );
        assert!(s.contains("los umbrales 1.65, 2.1 y 2.55"), "{s}");
        assert!(
            s.contains("INSUFICIENTE, ACEPTABLE, BUENO o EXCELENTE"),
            "{s}"
        );
    }
}
