import threading

import numpy as np
import pytest
import torch

from apps.assist import encoder


def test_real_model_loads_offline_with_few_threads(loaded_encoder):
    assert loaded_encoder.name == "sentence-transformers/all-MiniLM-L6-v2"
    assert loaded_encoder.dimensions == 384
    assert 1 <= loaded_encoder.torch_threads <= 2
    assert loaded_encoder.load_seconds > 0
    assert encoder.info() == loaded_encoder
    assert encoder.load_seconds() == loaded_encoder.load_seconds


def test_load_happens_once_per_process(loaded_encoder):
    assert encoder.load() is loaded_encoder
    assert encoder._get() is encoder._get()


def test_embeddings_are_unit_length_and_in_input_order(loaded_encoder):
    texts = ["The production database is down", "a", "Buy milk on the way home, we are out of it"]
    vectors = encoder.encode(texts)
    assert vectors.shape == (3, 384)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # Order is preserved although the batch is sorted by length inside.
    np.testing.assert_allclose(vectors[0], encoder.encode([texts[0]])[0], atol=1e-5)


def test_meaning_drives_similarity(loaded_encoder):
    outage = encoder.cosine("The production database is down", "Our main database server crashed")
    unrelated = encoder.cosine("The production database is down", "Buy flowers for the anniversary dinner")
    assert outage > 0.5 > unrelated


def test_empty_batch_needs_no_model():
    assert encoder.encode([]).shape == (0, 384)
    assert encoder.encode_layers([], layers=(4, 6)).shape == (0, 768)


def test_long_texts_are_embedded_whole(loaded_encoder):
    # Past MAX_TOKENS the model would only see the start: the second half must still change the vector.
    start = "Prepare the quarterly budget review with every department head. " * 40
    vectors = encoder.encode_long([start + "Cats and poems. " * 120, start + "Budget lines and totals. " * 120])
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) < 0.99


def test_concurrent_callers_get_the_same_vectors(loaded_encoder):
    expected = encoder.encode(["Renew the SSL certificate tonight"])[0]
    results: list[np.ndarray] = []

    def work() -> None:
        results.append(encoder.encode(["Renew the SSL certificate tonight"])[0])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    for vector in results:
        np.testing.assert_allclose(vector, expected, atol=1e-5)


def test_missing_model_folder_is_a_typed_error(settings, tmp_path, monkeypatch):
    monkeypatch.setattr(encoder, "_loaded", {})  # restored by monkeypatch: the session's model stays loaded
    settings.ASSIST_ENCODER_DIR = str(tmp_path)
    with pytest.raises(encoder.EncoderUnavailable, match="No model files"):
        encoder.load()


def test_int8_embeds_each_text_alone_whatever_its_batch(loaded_encoder):
    # Dynamic int8 quantizes each input tensor with one scale: a padded batch would make a text's vector depend on
    # its batch-mates. The int8 path runs one text per pass, so batch and single answers are identical.
    texts = ["Renew the SSL certificate tonight", "a", "The payroll export fails for every employee in Berlin"]
    batch = encoder.encode_layers(texts, layers=(4, 6), int8=True)
    assert encoder.load(int8=True).int8
    for index, text in enumerate(texts):
        np.testing.assert_array_equal(batch[index], encoder.encode_layers([text], layers=(4, 6), int8=True)[0])


def test_the_unused_pooler_is_not_loaded(loaded_encoder):
    assert encoder._get(False).model.pooler is None
    assert encoder._get(True).model.pooler is None


def test_precision_is_bf16_where_the_cpu_has_it_and_can_be_forced(settings):
    settings.ASSIST_ENCODER_INT8 = False
    settings.ASSIST_ENCODER_PRECISION = "auto"
    assert encoder.runtime_precision() == ("bf16" if encoder.bf16_supported() else "fp32")
    settings.ASSIST_ENCODER_PRECISION = "fp32"
    assert encoder.runtime_precision() == "fp32"
    settings.ASSIST_ENCODER_INT8 = True
    assert encoder.runtime_precision() == "int8"
    settings.ASSIST_ENCODER_INT8 = False
    settings.ASSIST_ENCODER_PRECISION = "fp8"
    with pytest.raises(ValueError, match="ASSIST_ENCODER_PRECISION"):
        encoder.runtime_precision()


def test_bf16_vectors_are_the_fp32_ones_to_three_decimals(settings, loaded_encoder):
    settings.ASSIST_ENCODER_INT8 = False
    settings.ASSIST_ENCODER_PRECISION = "bf16"
    texts = ["Renew the SSL certificate tonight", "maybe tidy the wiki someday", "PAYROLL IS DOWN"]
    bf16 = encoder.encode_layers(texts, layers=(4, 6))
    assert encoder.info().precision == "bf16"
    assert bf16.dtype == np.float32
    fp32 = encoder.encode_layers(texts, layers=(4, 6), int8=False)
    cosines = [float(bf16[i, 384:] @ fp32[i, 384:]) for i in range(len(texts))]
    assert min(cosines) > 0.999
    # It did run in bf16: the weights are bf16, and one text differs from fp32 one text (no padding either side).
    assert next(encoder._get().model.parameters()).dtype == torch.bfloat16
    alone = encoder.encode_layers([texts[1]], layers=(4, 6), int8=False)[0]
    assert not np.array_equal(bf16[1], alone)
    # One text per pass: a text's vector is the same alone and in a batch.
    np.testing.assert_array_equal(bf16[1], encoder.encode_layers([texts[1]], layers=(4, 6))[0])
