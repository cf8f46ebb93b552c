package io.rnnstreams.stream;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.model.ModelSnapshot;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The topology's {@link ModelRepository}: the changelogged model store, values encoded by {@link StateCodec}
 * under the configuration's fingerprint (a stored model of another configuration fails loudly on read).
 */
final class StoreModelRepository implements ModelRepository {
    private final KeyValueStore<String, ModelState> store;
    private final String fingerprint;

    StoreModelRepository(KeyValueStore<String, ModelState> store, String fingerprint) {
        this.store = store;
        this.fingerprint = fingerprint;
    }

    @Override
    public ModelSnapshot get(String key) {
        ModelState stored = store.get(key);
        return stored == null ? null : StateCodec.model(stored, fingerprint);
    }

    @Override
    public void put(String key, ModelSnapshot model) {
        store.put(key, StateCodec.modelState(model, fingerprint));
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }
}
