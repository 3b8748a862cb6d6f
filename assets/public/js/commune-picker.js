// Commune picker: type a name (accents optional), an old name or a code, pick from /api/v1/communes (best first).
// Without JavaScript the typed text is sent and the server resolves it or explains why it cannot.
(function () {
  'use strict';
  for (const root of document.querySelectorAll('[data-commune-picker]')) {
    const input = root.querySelector('input[role="combobox"]');
    const hidden = root.querySelector('input[name="commune_code"]');
    const list = root.querySelector('[role="listbox"]');
    let results = [];
    let active = -1;
    let timer;
    let latest = 0;

    const close = () => {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      active = -1;
    };

    const choose = (index) => {
      const commune = results[index];
      if (!commune) return;
      input.value = commune.name + ', ' + commune.province.name;
      hidden.value = commune.code;
      close();
    };

    const render = () => {
      list.replaceChildren();
      results.forEach((commune, index) => {
        const option = document.createElement('li');
        option.id = 'commune-option-' + commune.code;
        option.setAttribute('role', 'option');
        option.setAttribute('aria-selected', String(index === active));
        // Found by an old name: say which, or the user wonders why another name came up.
        option.append(commune.name);
        if (commune.formerName) {
          const former = document.createElement('span');
          former.className = 'muted';
          former.textContent = ' (trước đây: ' + commune.formerName + ')';
          option.append(former);
        }
        option.append(' — ' + commune.province.name + ' (' + commune.code + ')');
        option.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(index);
        });
        list.append(option);
      });
      list.hidden = results.length === 0;
      input.setAttribute('aria-expanded', String(!list.hidden));
      if (active >= 0) input.setAttribute('aria-activedescendant', 'commune-option-' + results[active].code);
    };

    const search = async () => {
      const query = input.value.trim();
      if (query.length < 2) return close();
      const ticket = ++latest;
      try {
        // data-near: the places the form is about (a site's commune, a user's reach); their provinces rank first.
        const near = root.dataset.near ? '&near=' + encodeURIComponent(root.dataset.near) : '';
        const url = '/api/v1/communes?limit=12&q=' + encodeURIComponent(query) + near;
        const response = await fetch(url, { headers: { Accept: 'application/json' } });
        if (!response.ok || ticket !== latest) return;
        results = await response.json();
        active = results.length ? 0 : -1;
        render();
      } catch {
        close(); // Offline: the server will resolve the typed text on submit.
      }
    };

    input.addEventListener('input', () => {
      hidden.value = '';
      clearTimeout(timer);
      timer = setTimeout(search, 150);
    });
    input.addEventListener('keydown', (event) => {
      if (list.hidden) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        active = (active + (event.key === 'ArrowDown' ? 1 : -1) + results.length) % results.length;
        render();
      } else if (event.key === 'Enter' && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === 'Escape') {
        close();
      }
    });
    input.addEventListener('blur', () => setTimeout(close, 100));
  }
})();
