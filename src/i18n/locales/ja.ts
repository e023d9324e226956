// Japanese. Keys and {placeholders} exactly as in en.ts.
import type { Messages } from './en.js';

export const ja = {
  // Command names and descriptions (Discord localization fields).
  'cmd.seed.name': 'seed',
  'cmd.seed.description': 'Midjourney ジョブのシードと、アップスケールされた画像4枚を取得します',
  'cmd.seed.job.name': 'job',
  'cmd.seed.job.description':
    'ジョブ ID（useapi の jobid またはプロキシのタスク ID）、Discord のメッセージリンクまたはメッセージ ID',
  'cmd.seed.private.name': '非公開',
  'cmd.seed.private.description': '回答を自分だけに表示します',
  'cmd.getSeed.name': 'シードを取得',
  'cmd.midjourney.name': 'midjourney',
  'cmd.midjourney.description': 'Midjourney アカウントのモデレーション（モデレーター用）',
  'cmd.midjourney.status.name': 'ステータス',
  'cmd.midjourney.status.description': 'Midjourney アカウント、保留状態、待機中のリクエストを表示します',
  'cmd.midjourney.reset.name': 'reset',
  'cmd.midjourney.reset.description': 'モデレーションメッセージに対応した後、アカウントをリセットします',
  'cmd.midjourney.reset.channel.name': 'チャンネル',
  'cmd.midjourney.reset.channel.description': 'アカウントのチャンネル ID',

  // Waiting.
  'progress.accepted': '⏳ 処理中です…',
  'progress.queued': '⏳ 順番待ち: {position} 番目です。Midjourney は一度に少数のジョブしか実行しません。',
  'progress.asking': '⏳ Midjourney にシードを問い合わせています…',
  'progress.waiting': '⏳ Midjourney が処理中です（{elapsed} 秒）…',
  'progress.busy': '⏳ Midjourney が混み合っています。{seconds} 秒後に再試行します。',
  'progress.joined': '⏳ このジョブは他の人がすでにリクエストしています。同じ回答を待っています…',
  'progress.retrying':
    '⏳ useapi が応答していません。リクエストは保持されています。{seconds} 秒後に再試行します（{attempt} 回目）。',

  // The answer.
  'reply.answeredPrivately': '本人にだけ返信しました。',
  'reply.title': 'シード {seed}',
  'reply.seedField': 'シード',
  'reply.promptField': 'プロンプト',
  'reply.jobField': 'ジョブ',
  'reply.original': '元のメッセージ',
  'reply.jump': '元のメッセージへ移動',
  'reply.imagesLinked':
    '画像を添付できませんでした（{reason}）。代わりにリンクを載せていますが、1日ほどで Discord に表示されなくなる場合があります。',
  'reply.imagesPending': 'プロンプトからシードを取得しました。画像4枚を取得しています…',
  'reply.imagesFollow': '画像4枚はまもなく表示されます…',
  'reply.imagesUnavailable': '画像4枚は利用できません。',
  'reply.fromPrompt': 'シードはすでにプロンプトに書かれていました。',
  'reply.lateMention': '{user} さん、リクエストされたシードです:',
  'reason.tooLarge': 'サイズが大きすぎてここにアップロードできません',
  'reason.download': 'ダウンロードに失敗しました',
  'reason.unreadable': '画像を読み取れませんでした',

  // Member mistakes.
  'error.invalidInput':
    'jobid、メッセージリンク、メッセージ ID のいずれでもありません。useapi の jobid（例: `job:2024…-user:…-channel:…`）か Midjourney のメッセージへのリンクを貼り付けるか、メッセージを右クリック → アプリ → シードを取得 を使ってください。',
  'error.notMidjourney':
    'これは Midjourney の生成結果ではありません。Midjourney ボットが投稿した画像を右クリックしてください。',
  'error.noImage':
    'この Midjourney のメッセージにはまだ画像がありません。ジョブが完了してから、もう一度お試しください。',
  'error.video': 'シードがあるのは imagine・button・blend ジョブだけで、動画ジョブにはありません。',
  'error.otherGuild':
    'このメッセージリンクは別のサーバーを指しています。このサーバー内のメッセージへのリンクを使ってください。',
  'error.unknownMessage':
    'このメッセージに対応する useapi のジョブが見つかりませんでした（{why}）。jobid をお持ちなら、下から貼り付けてください。',
  'why.notIndexed': 'このジョブの記録がありません',
  'button.pasteJobid': 'jobid を貼り付け',
  'modal.title': 'useapi の jobid を貼り付け',
  'modal.label': 'このメッセージの jobid',
  'error.jobidMismatch':
    'その jobid は別のメッセージのものです。この画像の jobid をコピーしたか確認してください。',
  'error.notOwner': 'ここでこの画像のシードをリクエストできるのは、画像を作成したメンバーだけです。',
  'error.moderatorsOnly': 'このサーバーでは、シードをリクエストできるのはモデレーターだけです。',
  'error.rateLimited':
    '短時間にたくさんのシードがリクエストされました。{seconds} 秒後にもう一度お試しください。',

  // Upstream outcomes.
  'error.notFinished':
    'そのジョブはまだ完了していません。Midjourney の処理が終わってから、もう一度リクエストしてください。',
  'error.unsupported':
    'シードがあるのは imagine・button・blend ジョブだけです。このジョブは {verb} ジョブです。',
  'error.notFound':
    'useapi にそのジョブが見つかりません。jobid を確認してください。useapi はジョブを31日間保存します。',
  'error.accountMissing':
    'このジョブのチャンネルに対応する Midjourney アカウントが useapi に設定されていません。',
  'error.unauthorized':
    'ボットの useapi トークンが拒否されました。管理者が USEAPI_TOKEN を確認する必要があります。',
  'error.noSubscription':
    'useapi のサブスクリプションが終了しています。管理者が useapi.net で更新する必要があります。',
  'error.busy':
    'Midjourney が混み合っていて、順番を確保できませんでした。1分ほどしてからもう一度お試しください。',
  'error.unavailable': 'useapi が現在応答していません。数分後にもう一度お試しください。',
  'error.storageUnavailable':
    'ストレージが応答していないため、リクエストを受け付けられませんでした。1 分ほどしてからもう一度お試しください。',
  'error.timeout': 'Midjourney の応答に時間がかかりすぎました。しばらくしてからもう一度お試しください。',
  'error.moderated': 'Midjourney がこのリクエストを拒否しました（モデレーション）。',
  'error.jobFailed':
    'Midjourney はこのジョブのシードを取得できませんでした。しばらくしてからもう一度お試しください。',
  'error.held':
    '⏸️ Midjourney アカウントがモデレーターの対応待ちです。モデレーターには通知済みです。リクエストは保持され、リセット後に自動で実行されます。',
  'error.shuttingDown': 'ボットを再起動しています。リクエストは保持され、まもなく回答します。',
  'error.internal': 'こちら側で問題が発生しました（参照 `{ref}`）。もう一度お試しください。',

  // Moderators.
  'mod.refused': 'この操作はモデレーター（サーバー管理の権限、またはモデレーターロール）だけが実行できます。',
  'mod.alert.title': '⚠️ Midjourney アカウント {channel} がモデレーションのため保留中です',
  'mod.alert.body':
    'useapi が 596 を返しました: Midjourney がこのアカウントにモデレーションメッセージまたは CAPTCHA を表示しました。このアカウントへのシードリクエストは保持され、待機しています。\n\n**対応手順**\n1. Midjourney アカウントで Discord にログインします。\n2. モデレーションメッセージを承認するか、CAPTCHA を解きます。\n3. 下の **リセット** を押します（または `/midjourney reset` を実行します）。',
  'mod.alert.text': 'モデレーションメッセージ',
  'mod.button.reset': 'リセット',
  'mod.confirm':
    'チャンネル {channel} の Midjourney アカウントで Discord にログインし、モデレーションメッセージを承認（または CAPTCHA を解決）しましたか？ その前にリセットすると、useapi はアカウントを再び保留にします。',
  'mod.button.confirm': 'はい、今すぐリセット',
  'mod.button.cancel': 'キャンセル',
  'mod.cancelled': 'リセットをキャンセルしました。',
  'mod.reset.ok':
    '✅ {user} がアカウント {channel} をリセットしました。待機中のリクエスト {count} 件を再開しました。',
  'mod.reset.stillPending':
    'useapi 上でアカウントにまだ未対応のモデレーションメッセージがあるため、保留のままです。Midjourney アカウントで Discord にログインし、メッセージを承認（または CAPTCHA を解決）してから、もう一度リセットしてください。',
  'mod.reset.unauthorized': 'useapi がリセットを拒否しました: ボットの useapi トークンが無効です（401）。',
  'mod.reset.notFound':
    'useapi にチャンネル {channel} の Midjourney アカウントがありません（404）。チャンネル ID を確認してください。',
  'mod.reset.error': 'リセットに失敗しました（{reason}）。1分ほどしてからもう一度お試しください。',
  'mod.status.title': 'Midjourney アカウント',
  'mod.status.none': 'この {upstream} トークンには Midjourney アカウントが設定されていません。',
  'mod.status.held': '⏸️ {since} から保留中',
  'mod.status.ok': '✅ 稼働中',
  'mod.status.line':
    '**トークン** {token} · **maxJobs** {maxJobs} · **待機中** {waiting} · **実行中** {executing}',
  'mod.status.pending': '**未対応のモデレーションメッセージ:** {text}',
  'mod.status.lastError': '**直近のエラー:** {error}',
  'mod.status.resets': '**直近のリセット:** {list}',
  'mod.status.noResets': 'なし',
  'mod.status.unavailable': '{upstream} から応答がありません: {reason}',

  // Moderators: /midjourney status | reset, alerts and the reset audit (issue 5).
  'mod.reset.inProgress': 'アカウント {channel} のリセットはすでに実行中です。結果が出るまでお待ちください。',
  'mod.reset.invalidChannel':
    'ボットが知っているアカウントではありません。候補から選ぶか、`/midjourney status` を実行してアカウントを確認してください。',
  'mod.reset.working': '⏳ useapi でアカウント {channel} をリセットしています…',
  'mod.alert.since': '保留開始',
  'mod.alert.noText':
    'useapi からテキストがありません。Discord で Midjourney アカウントのメッセージを確認してください。',
  'mod.alert.recoveredTitle': '✅ Midjourney アカウント {channel} は再び使えます',
  'mod.alert.recovered':
    '{time} に解決：アカウントは再び使えるようになりました。リセットは不要でした。待機中のリクエストは再開されます。',
  'mod.alert.resolvedTitle': '✅ Midjourney アカウント {channel} はリセットされました',
  'mod.alert.resolved':
    '解決済み: {user} が {time} にアカウントをリセットしました。待機中のリクエストは再開されます。',
  'mod.audit.line': '🧾 {user} によるアカウント {channel} のリセット（{time}）: {result}',
  'mod.result.ok': '完了、保留を解除しました',
  'mod.result.stillPending': 'モデレーションが未対応のため、保留のままです',
  'mod.result.unauthorized': '拒否されました、useapi トークンが無効です（401）',
  'mod.result.notFound': 'useapi にそのアカウントがありません（404）',
  'mod.result.error': '失敗しました',
  'mod.status.notConfigured':
    '**{upstream} の一覧にありません**（このトークン。ボットは保留を続けています）。',
  'mod.status.alert': '**アラート:** {link}',
  'mod.status.noAlert':
    '**アラート:** 投稿されていません。MOD_ALERT_CHANNEL_ID と、そのチャンネルにボットが投稿できるかを確認してください。',
  'mod.status.resetEntry': '{time} {user}: {result}',
  'mod.status.more': 'ほかに {count} 件のアカウントは表示されていません。',

  // Right-click "Get seed", message links and the job index (issue 3).
  'why.contentHidden':
    'Discord がこのメッセージの内容を見せてくれませんでした。代わりにメッセージを右クリック → アプリ → シードを取得 を使ってください',
  'error.ownerUnknown':
    'ここで画像のシードをリクエストできるのは画像を作成したメンバーだけですが、この画像を誰が作成したのか分かりません。代わりに Midjourney のメッセージを右クリック → アプリ → シードを取得 を使ってください。',
  'error.messageNotFound':
    'そのメッセージを開けませんでした。削除されたか、ボットがそのチャンネルを見られません。リンクを確認する(メッセージを右クリック → メッセージリンクをコピー)か、メッセージを右クリック → アプリ → シードを取得 を使ってください。',
  'error.messageNotHere':
    'このチャンネルにはその ID のメッセージがありません。代わりにメッセージへのリンクを貼ってください(メッセージを右クリック → メッセージリンクをコピー)。',
  'error.pastedNotJobid':
    'それは useapi の jobid ではありません。`job:2024…-user:…-channel:…` のような形です。もう一度コピーして貼り付けてください。',

  // Callbacks, queue and restarts (issue 4).
  'error.restarting': 'ボットを再起動しています。数秒後にもう一度お試しください。',

  // Forgiving input, the copy button, useapi's Midjourney status (issue 12).
  'error.severalJobids':
    'そのテキストには jobid が複数含まれています。シードを知りたい画像の jobid だけを貼り付けてください。',
  'error.discontinued':
    '現在シードを取得できません。useapi.net はこのボットに対して Midjourney を提供しなくなりました。ボットの管理者は `npm run doctor` で確認できます。',
  'button.copySeed': 'シード付きプロンプトをコピー',
  'copy.gone':
    'このシードはもう保存されていません。返信に表示された jobid を使って /seed でもう一度依頼してください。',
  'error.seedPending':
    'Midjourney からこのジョブのシードがまだ届いていません。数分後にもう一度お試しください。',
  'progress.seedPending':
    '⏳ Midjourney からシードがまだ届いていません。取得中です。{seconds} 秒後にもう一度確認します。',
  'progress.proxyRetrying':
    '⏳ midjourney-proxy が応答しません。リクエストは保持されています。{seconds} 秒後に再試行します（{attempt} 回目）。',
  'error.proxy.notFound':
    'midjourney-proxy はそのタスクを知りません。タスク ID（16 桁）を確認するか、Midjourney のメッセージを右クリック → アプリ → Get seed を使ってください。',
  'error.proxy.unauthorized':
    'ボットの midjourney-proxy トークンが拒否されました。管理者が MJ_PROXY_TOKEN を確認する必要があります。',
  'error.proxy.unavailable': 'midjourney-proxy が現在応答していません。数分後にもう一度お試しください。',
  'mod.alert.proxyBody':
    'midjourney-proxy に使える Midjourney アカウントがありません。シードのリクエストは保持されて待機し、プロキシにアカウントが戻り次第、自動で再開します。\n\n**対処方法**\n1. プロキシの管理ページを開きます。\n2. そこで Discord アカウントのロックを解除するか、再度有効にします（CAPTCHA、Cloudflare のチェック、無効化されたアカウント）。\n3. 下の **Reset** を押して（または `/midjourney reset` を実行して）今すぐ再確認します。',
  'mod.alert.proxyNoText':
    'プロキシからはこれ以上の情報はありません。どのアカウントがなぜロックされているかは管理ページに表示されます。',
  'mod.proxyConfirm':
    'midjourney-proxy の管理ページで Midjourney アカウントのロックを解除、または再度有効にしましたか？ボットからはそれを行えません。プロキシに使えるアカウントが戻ったかを確認し、戻っていれば待機中のリクエストが実行されます。',
  'mod.reset.proxyStillPending':
    'midjourney-proxy にはまだ使える Midjourney アカウントがないため、リクエストは保留のままです。プロキシの管理ページでアカウントのロックを解除するか再度有効にしてから、もう一度確認してください。',
  'mod.reset.proxyWorking': '⏳ midjourney-proxy に使える Midjourney アカウントが戻ったか確認しています…',
  'error.proxy.invalidInput':
    'それはタスク ID、メッセージリンク、メッセージ ID のいずれでもありません。midjourney-proxy のタスク ID（`1733400000000123` のような 16 桁）、Midjourney のメッセージへのリンクを貼り付けるか、メッセージを右クリック → アプリ → Get seed を使ってください。',
  'error.proxy.pastedNotJobid':
    'それは midjourney-proxy のタスク ID ではありません。`1733400000000123` のような 16 桁です。もう一度コピーして貼り付けてください。',
  'modal.proxyTitle': 'midjourney-proxy のタスク ID を貼り付け',
  'error.proxy.unknownMessage':
    'このメッセージに対応する midjourney-proxy のタスクが見つかりませんでした（{why}）。タスク ID をお持ちなら、下に貼り付けてください。',
} satisfies Messages;
