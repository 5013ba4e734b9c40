"""ci/trace's parts: the RFC's requirement sentences (requirements), the
committed side table (sides), the citations that quote them (coverage), and
the outputs (markdown, outputs)."""
