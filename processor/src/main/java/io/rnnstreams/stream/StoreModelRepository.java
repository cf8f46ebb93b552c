package io.rnnstreams.stream;

import io.rnnstreams.avro.ModelState;
import io.rnnstreams.learner.ModelIdentity;
import io.rnnstreams.learner.ModelRepository;
import io.rnnstreams.model.ModelSnapshot;
import java.util.function.Supplier;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The topology's {@link ModelRepository}: the changelogged model store, values encoded by {@link StateCodec}
 * under the settings' {@link ModelIdentity} (a stored model that cannot continue under them fails loudly on
 * read; start-up refuses such settings before, see {@link StoredModelCheck}). With the task's
 * {@link PendingWritesStore}, {@link #putLatest} exports and encodes the model once, when the task commits.
 */
final class StoreModelRepository implements ModelRepository {
    private final KeyValueStore<String, ModelState> store;
    private final ModelIdentity identity;
    private final String stored;
    /** The same store, for writes at the commit; null: {@link #putLatest} writes now. */
    private final PendingWritesStore<ModelState> atCommit;

    StoreModelRepository(KeyValueStore<String, ModelState> store, ModelIdentity identity) {
        this(store, identity, null);
    }

    /** @param atCommit the task's model store itself, for {@link #putLatest}; null to write at once */
    StoreModelRepository(KeyValueStore<String, ModelState> store, ModelIdentity identity,
                         PendingWritesStore<ModelState> atCommit) {
        this.store = store;
        this.identity = identity;
        this.stored = identity.encode();
        this.atCommit = atCommit;
    }

    @Override
    public ModelSnapshot get(String key) {
        ModelState stored = store.get(key);
        return stored == null ? null : StateCodec.model(stored, identity, true);
    }

    @Override
    public void put(String key, ModelSnapshot model) {
        store.put(key, StateCodec.modelState(model, this.stored));
    }

    @Override
    public void putLatest(String key, Supplier<ModelSnapshot> latest) {
        if (atCommit == null) {
            put(key, latest.get());
        } else {
            atCommit.putAtCommit(key, () -> StateCodec.modelState(latest.get(), stored));
        }
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }
}
