// Spanish (Spain; also used for es-419). Keys and {placeholders} exactly as in en.ts.
import type { Messages } from './en.js';

export const esES = {
  // Command names and descriptions (Discord localization fields).
  'cmd.seed.name': 'seed',
  'cmd.seed.description': 'Obtener la seed y las cuatro imágenes escaladas de un trabajo de Midjourney',
  'cmd.seed.job.name': 'job',
  'cmd.seed.job.description':
    'ID del trabajo (jobid de useapi o ID de tarea del proxy), enlace o ID de un mensaje de Discord',
  'cmd.seed.private.name': 'privado',
  'cmd.seed.private.description': 'Solo tú verás la respuesta',
  'cmd.getSeed.name': 'Obtener seed',
  'cmd.midjourney.name': 'midjourney',
  'cmd.midjourney.description': 'Moderación de las cuentas de Midjourney (moderadores)',
  'cmd.midjourney.status.name': 'estado',
  'cmd.midjourney.status.description':
    'Mostrar las cuentas de Midjourney, los bloqueos y las solicitudes en espera',
  'cmd.midjourney.reset.name': 'reset',
  'cmd.midjourney.reset.description': 'Restablecer una cuenta tras resolver su mensaje de moderación',
  'cmd.midjourney.reset.channel.name': 'canal',
  'cmd.midjourney.reset.channel.description': 'ID del canal de la cuenta',

  // Waiting.
  'progress.accepted': '⏳ Estoy en ello…',
  'progress.queued': '⏳ En la cola: posición {position}. Midjourney procesa pocos trabajos a la vez.',
  'progress.asking': '⏳ Pidiendo la seed a Midjourney…',
  'progress.waiting': '⏳ Midjourney está en ello ({elapsed} s)…',
  'progress.busy': '⏳ Midjourney está ocupado; vuelvo a intentarlo en {seconds} s.',
  'progress.joined': '⏳ Alguien ya ha pedido este trabajo; esperando la misma respuesta…',
  'progress.retrying':
    '⏳ useapi no responde; tu solicitud se conserva. Reintento en {seconds} s (intento {attempt}).',

  // The answer.
  'reply.answeredPrivately': 'Respondido en privado.',
  'reply.title': 'Seed {seed}',
  'reply.seedField': 'Seed',
  'reply.promptField': 'Prompt',
  'reply.jobField': 'Trabajo',
  'reply.original': 'Mensaje original',
  'reply.jump': 'Ir al mensaje original',
  'reply.imagesLinked':
    'No se han podido adjuntar las imágenes ({reason}); están enlazadas y puede que Discord deje de mostrarlas pasado un día aproximadamente.',
  'reply.imagesPending': 'Seed sacada del prompt; obteniendo las cuatro imágenes…',
  'reply.imagesFollow': 'Las cuatro imágenes llegan en un momento…',
  'reply.imagesUnavailable': 'Las cuatro imágenes no están disponibles.',
  'reply.fromPrompt': 'La seed ya estaba escrita en el prompt.',
  'reply.lateMention': '{user}, aquí tienes la seed que pediste:',
  'reason.tooLarge': 'demasiado grandes para subirlas aquí',
  'reason.download': 'falló la descarga',
  'reason.unreadable': 'no se pudo leer la imagen',

  // Member mistakes.
  'error.invalidInput':
    'Eso no es un jobid, ni un enlace ni un ID de mensaje. Pega el jobid de useapi (como `job:2024…-user:…-channel:…`) o un enlace al mensaje de Midjourney, o haz clic derecho en el mensaje → Aplicaciones → Obtener seed.',
  'error.notMidjourney':
    'Esto no es un resultado de Midjourney. Haz clic derecho en una imagen publicada por el bot de Midjourney.',
  'error.noImage':
    'Este mensaje de Midjourney aún no tiene imagen. Espera a que termine el trabajo y vuelve a intentarlo.',
  'error.video': 'Solo hay seeds para trabajos imagine, button y blend, no para trabajos de vídeo.',
  'error.otherGuild':
    'Ese enlace apunta a un mensaje de otro servidor. Usa un enlace a un mensaje de este servidor.',
  'error.unknownMessage':
    'No he encontrado el trabajo de useapi detrás de este mensaje ({why}). Si tienes el jobid, pégalo abajo.',
  'why.notIndexed': 'no he visto este trabajo',
  'button.pasteJobid': 'Pegar el jobid',
  'modal.title': 'Pega el jobid de useapi',
  'modal.label': 'jobid de este mensaje',
  'error.jobidMismatch':
    'Ese jobid pertenece a otro mensaje. Comprueba que has copiado el jobid de esta misma imagen.',
  'error.notOwner': 'Solo el miembro que creó esta imagen puede pedir su seed aquí.',
  'error.moderatorsOnly': 'En este servidor solo los moderadores pueden pedir seeds.',
  'error.rateLimited': 'Has pedido muchas seeds en poco tiempo. Vuelve a intentarlo en {seconds} s.',

  // Upstream outcomes.
  'error.notFinished':
    'Ese trabajo aún no ha terminado. Espera a que Midjourney lo termine y vuelve a pedirlo.',
  'error.unsupported': 'Solo hay seeds para trabajos imagine, button y blend; este es un trabajo {verb}.',
  'error.notFound':
    'useapi no conoce ese trabajo. Comprueba el jobid; useapi guarda los trabajos durante 31 días.',
  'error.accountMissing':
    'No hay ninguna cuenta de Midjourney configurada en useapi para el canal de este trabajo.',
  'error.unauthorized':
    'Se ha rechazado el token de useapi del bot. Un administrador debe revisar USEAPI_TOKEN.',
  'error.noSubscription':
    'La suscripción de useapi ha finalizado. Un administrador debe renovarla en useapi.net.',
  'error.busy':
    'Midjourney está ocupado ahora mismo y no he conseguido turno. Vuelve a intentarlo en un minuto.',
  'error.unavailable': 'useapi no responde ahora mismo. Vuelve a intentarlo en unos minutos.',
  'error.storageUnavailable':
    'El almacenamiento no responde ahora mismo y no he podido aceptar tu solicitud. Vuelve a intentarlo en un minuto.',
  'error.timeout': 'Midjourney ha tardado demasiado en responder. Vuelve a intentarlo más tarde.',
  'error.moderated': 'Midjourney ha rechazado esta solicitud (moderada).',
  'error.jobFailed':
    'Midjourney no ha podido obtener la seed de este trabajo. Vuelve a intentarlo más tarde.',
  'error.held':
    '⏸️ La cuenta de Midjourney está esperando a un moderador. Ya se ha avisado a los moderadores; tu solicitud se guarda y se ejecutará sola después del restablecimiento.',
  'error.shuttingDown': 'El bot se está reiniciando; tu solicitud se guarda y se responderá en breve.',
  'error.internal': 'Algo ha fallado por mi parte (referencia `{ref}`). Vuelve a intentarlo.',

  // Moderators.
  'mod.refused': 'Solo los moderadores (Gestionar servidor o un rol de moderador) pueden hacer esto.',
  'mod.alert.title': '⚠️ La cuenta de Midjourney {channel} está retenida por moderación',
  'mod.alert.body':
    'useapi ha respondido 596: Midjourney ha mostrado a esta cuenta un mensaje de moderación o un CAPTCHA. Las solicitudes de seed para ella se guardan y esperan.\n\n**Qué hacer**\n1. Inicia sesión en Discord con la cuenta de Midjourney.\n2. Acepta el mensaje de moderación o resuelve el CAPTCHA.\n3. Pulsa **Restablecer** abajo (o ejecuta `/midjourney reset`).',
  'mod.alert.text': 'Mensaje de moderación',
  'mod.button.reset': 'Restablecer',
  'mod.confirm':
    '¿Has iniciado sesión en Discord con la cuenta de Midjourney del canal {channel} y has aceptado el mensaje de moderación (o resuelto el CAPTCHA)? Si restableces antes, useapi volverá a retener la cuenta.',
  'mod.button.confirm': 'Sí, restablecer ahora',
  'mod.button.cancel': 'Cancelar',
  'mod.cancelled': 'Restablecimiento cancelado.',
  'mod.reset.ok':
    '✅ Cuenta {channel} restablecida por {user}. {count, plural, one {# solicitud en espera vuelve} other {# solicitudes en espera vuelven}} a ejecutarse.',
  'mod.reset.stillPending':
    'La cuenta todavía tiene un mensaje de moderación pendiente en useapi, así que sigue retenida. Inicia sesión en Discord con la cuenta de Midjourney, acepta el mensaje (o resuelve el CAPTCHA) y vuelve a restablecerla.',
  'mod.reset.unauthorized':
    'useapi ha rechazado el restablecimiento: el token de useapi del bot no es válido (401).',
  'mod.reset.notFound':
    'useapi no tiene ninguna cuenta de Midjourney para el canal {channel} (404). Comprueba el ID del canal.',
  'mod.reset.error': 'El restablecimiento ha fallado ({reason}). Vuelve a intentarlo en un minuto.',
  'mod.status.title': 'Cuentas de Midjourney',
  'mod.status.none': 'No hay ninguna cuenta de Midjourney configurada para este token de {upstream}.',
  'mod.status.held': '⏸️ retenida desde {since}',
  'mod.status.ok': '✅ en marcha',
  'mod.status.line':
    '**Token** {token} · **maxJobs** {maxJobs} · **en espera** {waiting} · **en ejecución** {executing}',
  'mod.status.pending': '**Mensaje de moderación pendiente:** {text}',
  'mod.status.lastError': '**Último error:** {error}',
  'mod.status.resets': '**Últimos restablecimientos:** {list}',
  'mod.status.noResets': 'ninguno',
  'mod.status.unavailable': '{upstream} no ha respondido: {reason}',

  // Moderators: /midjourney status | reset, alerts and the reset audit (issue 5).
  'mod.reset.inProgress':
    'Ya hay un restablecimiento de la cuenta {channel} en curso. Espera a su resultado.',
  'mod.reset.invalidChannel':
    'Esa no es una de las cuentas que conoce el bot. Elige una de las sugerencias o ejecuta `/midjourney status` para ver las cuentas.',
  'mod.reset.working': '⏳ Restableciendo la cuenta {channel} en useapi…',
  'mod.alert.since': 'Retenida desde',
  'mod.alert.noText':
    'useapi no ha dado ningún texto. Mira los mensajes de la cuenta de Midjourney en Discord.',
  'mod.alert.recoveredTitle': '✅ La cuenta de Midjourney {channel} vuelve a estar disponible',
  'mod.alert.recovered':
    'Resuelto {time}: la cuenta vuelve a estar disponible, nadie tuvo que restablecerla. Las solicitudes en espera se reanudan.',
  'mod.alert.resolvedTitle': '✅ La cuenta de Midjourney {channel} se ha restablecido',
  'mod.alert.resolved':
    'Resuelto: {user} restableció la cuenta {time}. Las solicitudes en espera vuelven a ejecutarse.',
  'mod.audit.line': '🧾 Restablecimiento de la cuenta {channel} por {user} {time}: {result}',
  'mod.result.ok': 'hecho, la retención se ha levantado',
  'mod.result.stillPending': 'moderación aún pendiente, la retención sigue',
  'mod.result.unauthorized': 'rechazado, el token de useapi no es válido (401)',
  'mod.result.notFound': 'useapi no tiene esa cuenta (404)',
  'mod.result.error': 'ha fallado',
  'mod.status.notConfigured': '**{upstream} no la lista** para este token (el bot la sigue reteniendo).',
  'mod.status.alert': '**Alerta:** {link}',
  'mod.status.noAlert':
    '**Alerta:** no publicada. Comprueba MOD_ALERT_CHANNEL_ID y que el bot pueda publicar en ese canal.',
  'mod.status.resetEntry': '{time} por {user}: {result}',
  'mod.status.more': '{count, plural, one {# cuenta más sin mostrar} other {# cuentas más sin mostrar}}.',

  // Right-click "Get seed", message links and the job index (issue 3).
  'why.contentHidden':
    'Discord no me mostró el contenido de este mensaje; haz clic derecho en él → Aplicaciones → Obtener seed',
  'error.ownerUnknown':
    'Solo el miembro que creó una imagen puede pedir su seed aquí, y no sé quién creó esta. Haz clic derecho en el mensaje de Midjourney → Aplicaciones → Obtener seed.',
  'error.messageNotFound':
    'No pude abrir ese mensaje: se eliminó o no puedo ver su canal. Revisa el enlace (clic derecho en el mensaje → Copiar enlace del mensaje) o haz clic derecho en el mensaje → Aplicaciones → Obtener seed.',
  'error.messageNotHere':
    'No hay ningún mensaje con ese id en este canal. Pega un enlace al mensaje (clic derecho en él → Copiar enlace del mensaje).',
  'error.pastedNotJobid':
    'Eso no es un jobid de useapi. Tiene esta forma: `job:2024…-user:…-channel:…`; cópialo de nuevo y pégalo.',

  // Callbacks, queue and restarts (issue 4).
  'error.restarting': 'El bot se está reiniciando. Vuelve a intentarlo en unos segundos.',

  // Forgiving input, the copy button, useapi's Midjourney status (issue 12).
  'error.severalJobids':
    'Ese texto contiene más de un jobid. Pega solo el jobid de la imagen cuya semilla quieres.',
  'error.discontinued':
    'Las semillas no están disponibles ahora: useapi.net ya no ofrece Midjourney para este bot. La administración del bot puede comprobarlo con `npm run doctor`.',
  'button.copySeed': 'Copiar prompt con semilla',
  'copy.gone':
    'Ya no tengo guardada esta semilla. Vuelve a pedirla con /seed y el jobid que aparece en la respuesta.',
  'error.seedPending':
    'Midjourney aún no ha enviado la seed de este trabajo. Vuelve a pedirla dentro de unos minutos.',
  'progress.seedPending':
    '⏳ Midjourney aún no ha enviado la seed; está en camino. Vuelvo a preguntar en {seconds} s.',
  'progress.proxyRetrying':
    '⏳ midjourney-proxy no responde; tu solicitud se conserva. Reintento en {seconds} s (intento {attempt}).',
  'error.proxy.notFound':
    'midjourney-proxy no conoce esa tarea. Revisa el id de la tarea (16 dígitos) o haz clic derecho en el mensaje de Midjourney → Apps → Get seed.',
  'error.proxy.unauthorized':
    'El token de midjourney-proxy del bot fue rechazado. Un administrador debe revisar MJ_PROXY_TOKEN.',
  'error.proxy.unavailable':
    'midjourney-proxy no responde en este momento. Inténtalo de nuevo en unos minutos.',
  'mod.alert.proxyBody':
    'midjourney-proxy no tiene ninguna cuenta de Midjourney utilizable. Las solicitudes de seed se conservan y esperan; vuelven a ejecutarse solas en cuanto el proxy tenga una de nuevo.\n\n**Qué hacer**\n1. Abre la página de administración del proxy.\n2. Desbloquea o reactiva allí una cuenta de Discord (un CAPTCHA, una comprobación de Cloudflare, una cuenta desactivada).\n3. Pulsa **Reset** abajo (o ejecuta `/midjourney reset`) para comprobarlo ahora.',
  'mod.alert.proxyNoText':
    'El proxy no dice más. Su página de administración muestra qué cuentas están bloqueadas y por qué.',
  'mod.proxyConfirm':
    '¿Has desbloqueado o reactivado una cuenta de Midjourney en la página de administración de midjourney-proxy? El bot no puede hacerlo desde aquí: comprueba si el proxy vuelve a tener una cuenta utilizable y, si es así, las solicitudes en espera se ejecutan.',
  'mod.reset.proxyStillPending':
    'midjourney-proxy sigue sin una cuenta de Midjourney utilizable, así que las solicitudes siguen retenidas. Desbloquea o reactiva una cuenta en la página de administración del proxy y vuelve a comprobarlo.',
  'mod.reset.proxyWorking':
    '⏳ Comprobando si midjourney-proxy vuelve a tener una cuenta de Midjourney utilizable…',
  'error.proxy.invalidInput':
    'Eso no es un id de tarea, un enlace a un mensaje ni un id de mensaje. Pega el id de tarea de midjourney-proxy (16 dígitos, como `1733400000000123`), un enlace al mensaje de Midjourney, o haz clic derecho en el mensaje → Apps → Get seed.',
  'error.proxy.pastedNotJobid':
    'Eso no es un id de tarea de midjourney-proxy. Tiene 16 dígitos, como `1733400000000123`; cópialo de nuevo y pégalo.',
  'modal.proxyTitle': 'Pega el id de tarea de midjourney-proxy',
  'error.proxy.unknownMessage':
    'No encontré la tarea de midjourney-proxy detrás de este mensaje ({why}). Si tienes su id de tarea, pégalo abajo.',
} satisfies Messages;
